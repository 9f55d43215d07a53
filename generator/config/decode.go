package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/foyerhub/foyer/generator/diag"
)

const (
	minute = time.Minute
	day    = 24 * time.Hour
)

// decode walks the YAML tree against the Config struct so that each
// problem is reported at the exact line and column of its value.
func decode(path string, data []byte, cfg *Config, warnings, errs *diag.List) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		errs.Add(yamlError(path, err))
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	walk(path, "", doc.Content[0], reflect.ValueOf(cfg).Elem(), warnings, errs)
}

func walk(path, prefix string, n *yaml.Node, v reflect.Value, warnings, errs *diag.List) {
	if _, custom := v.Addr().Interface().(yaml.Unmarshaler); custom || v.Kind() != reflect.Struct {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			errs.Add(diag.Errorf(path, n.Line, n.Column, "%s: %s", strings.TrimSuffix(prefix, "."), typeMessage(err, v.Type())))
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return
		}
		errs.Add(diag.Errorf(path, n.Line, n.Column, "%s: expected a mapping of keys, got %s", nonEmpty(strings.TrimSuffix(prefix, "."), "document"), describe(n)))
		return
	}
	fields := fieldIndex(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		idx, ok := fields[key.Value]
		if !ok {
			warnings.Add(diag.Errorf(path, key.Line, key.Column, "unknown key %q ignored", prefix+key.Value))
			continue
		}
		walk(path, prefix+key.Value+".", val, v.Field(idx), warnings, errs)
	}
}

func fieldIndex(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		m[name] = i
	}
	return m
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return strconv.Quote(n.Value)
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// typeMessage turns yaml.v3's type errors into "expected …" sentences.
func typeMessage(err error, t reflect.Type) string {
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
			msg = rest
		}
		return fmt.Sprintf("%s (expected %s)", msg, kindName(t))
	}
	return err.Error()
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		if t.Name() == "Duration" {
			return "a duration such as 7d or 12h"
		}
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Map:
		return "a mapping"
	}
	return "a string"
}

func yamlError(path string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = n, tail
			}
		}
	}
	return diag.Errorf(path, line, 0, "invalid YAML: %s", msg)
}

// Duration is a time.Duration that also reads days and weeks: 7d, 2w, 36h.
type Duration time.Duration

// UnmarshalYAML reads "7d", "2w" or any time.ParseDuration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads "7d", "2w" or any time.ParseDuration string.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": day, "w": 7 * day} {
		if num, ok := strings.CutSuffix(s, suffix); ok {
			n, err := strconv.Atoi(num)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("duration %q: expected a whole number of days or weeks such as 7d or 2w", s)
			}
			return time.Duration(n) * unit, nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("duration %q: expected e.g. 7d, 2w or 36h", s)
	}
	return v, nil
}

// Rate is a count per period, written "5/min", "100/h" or "2/s".
type Rate struct {
	N   int
	Per time.Duration
}

// UnmarshalYAML reads "N/s", "N/min", "N/h" or "N/d".
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	num, unit, ok := strings.Cut(strings.TrimSpace(n.Value), "/")
	count, err := strconv.Atoi(strings.TrimSpace(num))
	per, known := map[string]time.Duration{"s": time.Second, "min": minute, "h": time.Hour, "d": day}[strings.TrimSpace(unit)]
	if !ok || err != nil || count < 1 || !known {
		return fmt.Errorf("rate %q: expected a count per unit such as 5/min (units: s, min, h, d)", n.Value)
	}
	*r = Rate{N: count, Per: per}
	return nil
}

// ByteSize is a size in bytes, written 20kB, 1MB or a plain number.
type ByteSize int64

// UnmarshalYAML reads "20kB", "1MB", "512B" or a plain number of bytes.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"kB", 1000}, {"KB", 1000}, {"MB", 1000 * 1000}, {"B", 1}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 1 {
		return fmt.Errorf("size %q: expected a size such as 20kB or 1MB", n.Value)
	}
	*b = ByteSize(v * mult)
	return nil
}
