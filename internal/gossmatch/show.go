package gossmatch

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	shownBytes    = 80 // of a string, before it is shortened
	shownElements = 10 // of a list or map
)

// show writes a value for a report line: strings quoted (and shortened), numbers and bools as
// written in YAML, lists in brackets, maps in braces with their keys in order.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return quoteShort(x)
	case []byte:
		return quoteShort(string(x))
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return "[]"
		}
		parts := make([]string, 0, min(rv.Len(), shownElements))
		for i := 0; i < rv.Len() && i < shownElements; i++ {
			parts = append(parts, show(rv.Index(i).Interface()))
		}
		return "[" + strings.Join(parts, ", ") + more(rv.Len(), "elements") + "]"
	case reflect.Map:
		keys := rv.MapKeys()
		sortValues(keys)
		parts := make([]string, 0, min(len(keys), shownElements))
		for i := 0; i < len(keys) && i < shownElements; i++ {
			parts = append(parts, show(keys[i].Interface())+": "+show(rv.MapIndex(keys[i]).Interface()))
		}
		return "{" + strings.Join(parts, ", ") + more(len(keys), "entries") + "}"
	}
	return quoteShort(fmt.Sprintf("%v", v))
}

func more(n int, what string) string {
	if n <= shownElements {
		return ""
	}
	return fmt.Sprintf(", … (%d %s)", n, what)
}

// quoteShort quotes a string, shortened at a character boundary when it is long.
func quoteShort(s string) string {
	if len(s) <= shownBytes {
		return strconv.Quote(s)
	}
	cut := shownBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	q := strconv.Quote(s[:cut])
	return q[:len(q)-1] + `…" (` + strconv.Itoa(len(s)) + " bytes)"
}

// hidden describes a value without showing any of it, for values that may hold secrets.
func hidden(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("a string of %d bytes", len(x))
	case []byte:
		return fmt.Sprintf("a string of %d bytes", len(x))
	case bool:
		return strconv.FormatBool(x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return fmt.Sprintf("a list of %d elements", rv.Len())
	case reflect.Map:
		return fmt.Sprintf("a map of %d entries", rv.Len())
	}
	if isNumber(v) {
		return "a number"
	}
	return "a value"
}
