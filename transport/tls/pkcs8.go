package tls

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// ASN.1 structures of an encrypted PKCS#8 key (RFC 5958, RFC 8018).
type (
	algorithm struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue `asn1:"optional"`
	}
	encryptedKeyInfo struct {
		Algorithm algorithm
		Data      []byte
	}
	pbes2Params struct {
		KDF    algorithm
		Scheme algorithm
	}
	pbkdf2Params struct {
		Salt       []byte
		Iterations int
		KeyLength  int       `asn1:"optional"`
		PRF        algorithm `asn1:"optional"`
	}
)

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}

	prfs = map[string]func() hash.Hash{
		"1.2.840.113549.2.7":  sha1.New, // the default when absent
		"1.2.840.113549.2.8":  sha256.New224,
		"1.2.840.113549.2.9":  sha256.New,
		"1.2.840.113549.2.10": sha512.New384,
		"1.2.840.113549.2.11": sha512.New,
	}

	// ciphers by OID: key length and constructor.
	ciphers = map[string]struct {
		keyLen int
		block  func([]byte) (cipher.Block, error)
	}{
		"2.16.840.1.101.3.4.1.2":  {16, aes.NewCipher},
		"2.16.840.1.101.3.4.1.22": {24, aes.NewCipher},
		"2.16.840.1.101.3.4.1.42": {32, aes.NewCipher},
		"1.2.840.113549.3.7":      {24, des.NewTripleDESCipher},
	}
)

// maxPBKDF2Iterations stops a hostile key file from making us spin.
const maxPBKDF2Iterations = 10_000_000

const convertV2 = "convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-v2.pem`"

// decryptPKCS8 decrypts a PBES2-encrypted PKCS#8 key and returns the DER of
// the PrivateKeyInfo inside.
func decryptPKCS8(der, password []byte) ([]byte, error) {
	var info encryptedKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("the ENCRYPTED PRIVATE KEY is not valid PKCS#8")
	}
	if !info.Algorithm.OID.Equal(oidPBES2) {
		return nil, fmt.Errorf("the private key is encrypted with %v, not PBES2 (PKCS#5 v2); %s", info.Algorithm.OID, convertV2)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Params.FullBytes, &params); err != nil {
		return nil, errors.New("the private key's PBES2 parameters are not valid")
	}
	if !params.KDF.OID.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("the private key uses key derivation %v, not PBKDF2 (scrypt is not supported); %s", params.KDF.OID, convertV2)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Params.FullBytes, &kdf); err != nil {
		return nil, errors.New("the private key's PBKDF2 parameters are not valid")
	}
	prf := sha1.New
	if len(kdf.PRF.OID) > 0 {
		if prf = prfs[kdf.PRF.OID.String()]; prf == nil {
			return nil, fmt.Errorf("the private key uses PBKDF2 with %v, which is not supported; %s", kdf.PRF.OID, convertV2)
		}
	}
	c, ok := ciphers[params.Scheme.OID.String()]
	if !ok {
		return nil, fmt.Errorf("the private key is encrypted with cipher %v, not AES-CBC or 3DES-CBC; %s", params.Scheme.OID, convertV2)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Scheme.Params.FullBytes, &iv); err != nil {
		return nil, errors.New("the private key's cipher IV is not valid")
	}
	if kdf.Iterations < 1 || kdf.Iterations > maxPBKDF2Iterations || (kdf.KeyLength != 0 && kdf.KeyLength != c.keyLen) {
		return nil, errors.New("the private key's PBKDF2 parameters are out of range")
	}
	key, err := pbkdf2.Key(prf, string(password), kdf.Salt, kdf.Iterations, c.keyLen)
	if err != nil {
		return nil, fmt.Errorf("deriving the key-encryption key: %w", err)
	}
	block, err := c.block(key)
	if err != nil {
		return nil, err
	}
	return cbcDecrypt(block, iv, info.Data)
}

// cbcDecrypt decrypts and removes PKCS#7 padding; bad padding almost always
// means a wrong password.
func cbcDecrypt(block cipher.Block, iv, data []byte) ([]byte, error) {
	n := block.BlockSize()
	if len(iv) != n || len(data) == 0 || len(data)%n != 0 {
		return nil, errors.New("the encrypted private key has a bad IV or length")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad < 1 || pad > n {
		return nil, errWrongPassword
	}
	for _, p := range out[len(out)-pad:] {
		if int(p) != pad {
			return nil, errWrongPassword
		}
	}
	return out[:len(out)-pad], nil
}
