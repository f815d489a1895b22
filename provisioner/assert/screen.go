package assert

import (
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// screen finds, in the HCL values of a provisioner block, every value that the SDK's decoding
// would refuse with an error that stops all else, or with an internal dump for a message: a
// number that is not whole where a whole one is wanted (`port = 80.5`), and a duration that does
// not parse (`timeout = "5x"`). It names each like the plugin's own problems (`port[0].port: …`)
// and returns the values with each of them made null, so that decoding goes on and every other
// problem is found in the same round.
//
// target is the Go type the values are decoded into; its mapstructure tags give the names.
func screen(raws []interface{}, target reflect.Type) (screened []interface{}, problems []attrProblem) {
	screened = append([]interface{}(nil), raws...)
	for i, raw := range raws {
		if v, ok := raw.(cty.Value); ok {
			screened[i] = screenValue("", v, target, &problems)
		}
	}
	return screened, problems
}

// An attrProblem is a value screen refused, and the attribute it was given to.
type attrProblem struct {
	attr string // like "command[0].timeout"
	msg  string
}

func (p attrProblem) Error() string { return p.attr + ": " + p.msg }

var durationType = reflect.TypeOf(time.Duration(0))

func screenValue(path string, v cty.Value, t reflect.Type, problems *[]attrProblem) cty.Value {
	if v.IsNull() || !v.IsKnown() {
		return v
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	refuse := func(format string, args ...any) cty.Value {
		*problems = append(*problems, attrProblem{path, fmt.Sprintf(format, args...)})
		return cty.NullVal(v.Type())
	}
	switch {
	case t == durationType:
		if v.Type() == cty.String {
			if _, err := time.ParseDuration(v.AsString()); err != nil {
				if _, number := new(big.Float).SetString(v.AsString()); number {
					return refuse("%q has no unit: write it like \"%ss\" (the units are ms, s, m and h)", v.AsString(), v.AsString())
				}
				return refuse("%q is not a duration (write it like \"30s\", \"1m30s\" or \"500ms\"; the units are ms, s, m and h)", v.AsString())
			}
		}
	case isWhole(t.Kind()) && v.Type() == cty.Number:
		f := v.AsBigFloat()
		if !f.IsInt() {
			whole, _ := f.Int(nil)
			return refuse("%s is not a whole number (write one without a fraction, like %s)", f.Text('g', -1), whole)
		}
		if n, acc := f.Int64(); acc != big.Exact || n != int64(int(n)) {
			return refuse("%s is too large", f.Text('g', -1))
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && (v.Type().IsListType() || v.Type().IsTupleType()):
		return screenBlocks(path, v, t.Elem(), problems)
	case t.Kind() == reflect.Struct && v.Type().IsObjectType():
		return screenObject(path, v, t, problems)
	}
	return v
}

func isWhole(k reflect.Kind) bool {
	return reflect.Int <= k && k <= reflect.Int64 || reflect.Uint <= k && k <= reflect.Uintptr
}

// screenBlocks screens each block of a repeated block, named like port[0].
func screenBlocks(path string, v cty.Value, t reflect.Type, problems *[]attrProblem) cty.Value {
	var blocks []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		key, block := it.Element()
		i, _ := key.AsBigFloat().Int64()
		blocks = append(blocks, screenValue(fmt.Sprintf("%s[%d]", path, i), block, t, problems))
	}
	switch {
	case len(blocks) == 0:
		return v
	case v.Type().IsListType():
		return cty.ListVal(blocks)
	}
	return cty.TupleVal(blocks)
}

// screenObject screens the attributes of an object that t's fields name; a field tagged
// `mapstructure:",squash"` holds its own fields at the same level.
func screenObject(path string, v cty.Value, t reflect.Type, problems *[]attrProblem) cty.Value {
	attrs := v.AsValueMap()
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
			switch {
			case opts == "squash" && f.Type.Kind() == reflect.Struct:
				walk(f.Type)
			case name != "":
				if a, ok := attrs[name]; ok {
					attrs[name] = screenValue(strings.TrimPrefix(path+"."+name, "."), a, f.Type, problems)
				}
			}
		}
	}
	walk(t)
	if len(attrs) == 0 {
		return v
	}
	return cty.ObjectVal(attrs)
}
