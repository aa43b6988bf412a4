package core

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ParseProperties sets the fields of cfg, a pointer to a ProducerConfig,
// ConsumerConfig, AdminConfig or Config, from Java or kafka-python property
// names: "bootstrap.servers", "bootstrap_servers" and "BOOTSTRAP_SERVERS" all
// name the same field. Values are strings as in a .properties file; ".ms"
// properties are milliseconds, lists are comma-separated.
//
// Every unknown name and unparsable value is reported, all at once, in a
// *ConfigError; the fields that did parse are set.
func ParseProperties(cfg any, props map[string]string) error {
	v := reflect.ValueOf(cfg)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("core: ParseProperties needs a pointer to a config struct, got %T", cfg)
	}
	fields := map[string]propField{}
	collectProps(v.Elem(), fields)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, k := range keys {
		f, ok := fields[normalizeProp(k)]
		if !ok {
			errs = append(errs, fmt.Errorf("unknown property %q", k))
			continue
		}
		if err := f.set(props[k]); err != nil {
			errs = append(errs, fmt.Errorf("property %q: %w", k, err))
		}
	}
	return configError(errs)
}

// Properties lists the property names a config type understands, sorted.
func Properties(cfg any) []string {
	fields := map[string]propField{}
	collectProps(reflect.ValueOf(cfg).Elem(), fields)
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.name)
	}
	sort.Strings(names)
	return names
}

type propField struct {
	name   string
	ms     bool // the property is in milliseconds
	invert bool // the property is the negation of the boolean field
	v      reflect.Value
}

func normalizeProp(k string) string {
	return strings.ToLower(strings.NewReplacer("_", ".", "-", ".").Replace(strings.TrimSpace(k)))
}

func collectProps(v reflect.Value, into map[string]propField) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf, fv := t.Field(i), v.Field(i)
		if sf.Type.Kind() == reflect.Struct && sf.Tag.Get("prop") == "" {
			collectProps(fv, into)
			continue
		}
		tag := sf.Tag.Get("prop")
		if tag == "" || !sf.IsExported() {
			continue
		}
		name, unit, _ := strings.Cut(tag, ",")
		into[normalizeProp(name)] = propField{name: name, ms: unit == "ms", invert: unit == "invert", v: fv}
	}
}

func (f propField) set(s string) error {
	s = strings.TrimSpace(s)
	switch p := f.v.Addr().Interface().(type) {
	case *string:
		*p = s
	case *[]string:
		*p = nil
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				*p = append(*p, part)
			}
		}
	case *bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return errors.New("not a boolean (true or false)")
		}
		*p = b != f.invert
	case *time.Duration:
		if !f.ms {
			d, err := time.ParseDuration(s)
			*p = d
			return err
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return errors.New("not a whole number of milliseconds")
		}
		*p = time.Duration(n) * time.Millisecond
	default:
		return f.setOther(s)
	}
	return nil
}

// setOther handles integer fields and types with their own text form.
func (f propField) setOther(s string) error {
	if u, ok := f.v.Addr().Interface().(interface{ UnmarshalText([]byte) error }); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch f.v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, f.v.Type().Bits())
		if err != nil {
			return fmt.Errorf("not an integer of %d bits", f.v.Type().Bits())
		}
		f.v.SetInt(n)
		return nil
	}
	return fmt.Errorf("cannot set a %s from a property", f.v.Type())
}
