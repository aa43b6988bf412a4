package tls

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FromProperties builds a TLS client config from Java or kafka-python
// property names, ignoring properties that do not start with "ssl." or
// "ssl_" (so a whole client configuration can be passed):
//
//	ssl.truststore.location, ssl_cafile           CA file (PEM)
//	ssl.truststore.certificates                   CAs, inline PEM
//	ssl.keystore.location, ssl_certfile           client certificate (and key) file
//	ssl_keyfile                                   client key file
//	ssl.keystore.certificate.chain, ssl.keystore.key   the same, inline PEM
//	ssl.key.password, ssl_password                key password (never logged)
//	ssl.endpoint.identification.algorithm         "https" (default) or "" to skip the host-name check
//	ssl_check_hostname                            true (default) or false, likewise
//	ssl.enabled.protocols                         e.g. "TLSv1.2,TLSv1.3": the lowest and highest allowed
//	ssl.cipher.suites                             IANA names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (TLS 1.2 only)
//	ssl.truststore.type, ssl.keystore.type        must be PEM
//
// JVM-only settings (ssl.protocol, ssl.provider, ssl.keymanager.algorithm,
// ssl.trustmanager.algorithm, ssl.secure.random.implementation, and store
// passwords) are ignored. Any other ssl property is an error, as are JKS and
// PKCS#12 stores: all problems are reported at once.
func FromProperties(props map[string]string) (*tls.Config, error) {
	var o Options
	var errs []error
	var versions []uint16
	var suites []uint16
	for _, k := range sortedKeys(props) {
		v := props[k]
		switch k {
		case "ssl.truststore.location", "ssl_cafile":
			o.CAFile = v
		case "ssl.truststore.certificates":
			o.CAPEM = []byte(v)
		case "ssl.keystore.location", "ssl_certfile":
			o.CertFile = v
		case "ssl_keyfile":
			o.KeyFile = v
		case "ssl.keystore.certificate.chain":
			o.CertPEM = []byte(v)
		case "ssl.keystore.key":
			o.KeyPEM = []byte(v)
		case "ssl.key.password", "ssl_password":
			o.KeyPassword = v
		case "ssl.endpoint.identification.algorithm":
			switch strings.ToLower(v) {
			case "https":
			case "":
				o.SkipHostnameVerification = true
			default:
				errs = append(errs, fmt.Errorf("%s=%q: want \"https\" or \"\"", k, v))
			}
		case "ssl_check_hostname":
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: want true or false", k, v))
			}
			if err == nil && !b {
				o.SkipHostnameVerification = true
			}
		case "ssl.truststore.type", "ssl.keystore.type":
			if !strings.EqualFold(v, "PEM") {
				errs = append(errs, fmt.Errorf("%s=%s: %s", k, v, notPEM))
			}
		case "ssl.enabled.protocols":
			var err error
			versions, err = parseVersions(v)
			errs = appendErr(errs, k, err)
		case "ssl.cipher.suites":
			var err error
			suites, err = parseSuites(v)
			errs = appendErr(errs, k, err)
		case "ssl.protocol", "ssl.provider", "ssl.keymanager.algorithm", "ssl.trustmanager.algorithm",
			"ssl.secure.random.implementation", "ssl.truststore.password", "ssl.keystore.password":
			// JVM-only; no equivalent.
		default:
			if strings.HasPrefix(k, "ssl.") || strings.HasPrefix(k, "ssl_") {
				errs = append(errs, fmt.Errorf("%s is not supported by kafka3-go", k))
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("tls: invalid properties: %w", errors.Join(errs...))
	}
	cfg, err := New(o)
	if err != nil {
		return nil, err
	}
	if len(versions) > 0 {
		cfg.MinVersion, cfg.MaxVersion = versions[0], versions[len(versions)-1]
	}
	cfg.CipherSuites = suites
	return cfg, nil
}

func appendErr(errs []error, key string, err error) []error {
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", key, err))
	}
	return errs
}

// parseVersions returns the versions listed, sorted; TLS 1.0 and 1.1 are refused.
func parseVersions(list string) ([]uint16, error) {
	var vs []uint16
	for _, name := range strings.Split(list, ",") {
		switch strings.TrimSpace(name) {
		case "TLSv1.2":
			vs = append(vs, tls.VersionTLS12)
		case "TLSv1.3":
			vs = append(vs, tls.VersionTLS13)
		case "":
		default:
			return nil, fmt.Errorf("%q is not one of TLSv1.2, TLSv1.3 (older versions are insecure)", name)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	return vs, nil
}

// parseSuites maps IANA cipher-suite names to ids; only secure suites.
func parseSuites(list string) ([]uint16, error) {
	byName := map[string]uint16{}
	for _, s := range tls.CipherSuites() {
		byName[s.Name] = s.ID
	}
	var ids []uint16
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		id, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("%q is not a secure cipher suite Go supports (IANA names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)", name)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
