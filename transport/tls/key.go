package tls

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// errWrongPassword is reported for a key that does not decrypt.
var errWrongPassword = errors.New("the private key does not decrypt: wrong ssl.key.password / ssl_password?")

// parseKey finds the private key in data, decrypts it with password when it
// is encrypted, and returns it as an unencrypted PEM block for
// tls.X509KeyPair.
func parseKey(data []byte, password string) ([]byte, error) {
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, fmt.Errorf("no PEM private key (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY); %s", notPEM)
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		der, err := decrypt(b, password)
		if err != nil {
			return nil, err
		}
		typ := b.Type
		if typ == "ENCRYPTED PRIVATE KEY" {
			typ = "PRIVATE KEY"
		}
		return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), nil
	}
}

// decrypt returns the DER of the key in b, decrypting it if need be.
func decrypt(b *pem.Block, password string) ([]byte, error) {
	encrypted := b.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(b) //nolint:staticcheck // legacy keys still exist
	if !encrypted {
		return b.Bytes, nil
	}
	if password == "" {
		return nil, errors.New("the private key is encrypted: set KeyPassword (ssl.key.password / ssl_password)")
	}
	if b.Type == "ENCRYPTED PRIVATE KEY" {
		der, err := decryptPKCS8(b.Bytes, []byte(password))
		if err != nil {
			return nil, err
		}
		if _, err := x509.ParsePKCS8PrivateKey(der); err != nil {
			return nil, errWrongPassword
		}
		return der, nil
	}
	// Legacy OpenSSL encryption (Proc-Type: 4,ENCRYPTED): insecure by
	// design, but Kafka's own docs produced such keys for years.
	der, err := x509.DecryptPEMBlock(b, []byte(password)) //nolint:staticcheck // see above
	if err != nil {
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, errWrongPassword
		}
		return nil, fmt.Errorf("decrypting the legacy-encrypted private key: %w", err)
	}
	return der, nil
}
