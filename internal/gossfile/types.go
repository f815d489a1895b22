package gossfile

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// The resource types of goss v0.4.9 and their attributes, as the structs of goss's resource/
// package declare them (resource/file.go, package.go, … one struct each; the type names are the
// tags of GossConfig in goss_config.go). The order of attributes is goss's field order, which is
// also the order goss's render prints them in.
//
// An attribute's Go kind decides how goss's decoders read it, and so what the value in
// Resource.Attrs is: a matcher is goss's `matcher` (any), so it keeps whatever the YAML or JSON
// decoder made of it (int, float64, string, bool, nil, []any, map[string]any …); a string
// attribute takes any YAML scalar as its text (`port: 22` is "22") but only a string in JSON; a
// bool, an int or a list of strings is what the decoder converts to that Go type, or a load error.

// kind is the Go type of one goss attribute.
type kind int

const (
	matcherKind kind = iota // goss's `matcher` and `any`: the decoded value as it is
	stringKind
	boolKind
	intKind
	stringsKind // []string
	metaKind    // goss's `meta`, a map[string]any
)

// goType is the Go type goss decodes an attribute of this kind into.
func (k kind) goType() reflect.Type {
	switch k {
	case stringKind:
		return reflect.TypeFor[string]()
	case boolKind:
		return reflect.TypeFor[bool]()
	case intKind:
		return reflect.TypeFor[int]()
	case stringsKind:
		return reflect.TypeFor[[]string]()
	case metaKind:
		return reflect.TypeFor[map[string]any]()
	}
	return reflect.TypeFor[any]()
}

// attr is one attribute of a goss resource type.
type attr struct {
	name      string // its key in a gossfile: "exit-status"
	kind      kind
	omitEmpty bool // goss's tag says omitempty: render leaves out its zero value
}

// resourceType is one resource type of goss v0.4.9.
type resourceType struct {
	name string // the key in a gossfile: "kernel-param"
	// subject is the attribute that names what the resource is about when it is set, as goss's
	// GetPath, GetName, GetExec … do; otherwise the resource's key names it. "" for matching,
	// whose key is only a label.
	subject string
	// ignoresDash: goss's whitelist of attributes is the json tags of the struct's exported
	// fields, so a type with an exported field tagged "-" (KernelParam.Key, Gossfile.Path)
	// accepts an attribute named "-" and ignores it, while the others refuse it.
	ignoresDash bool
	attrs       []attr
	decodeType  reflect.Type // a struct with goss's field types and tags, made by init
}

// Helpers that keep the table below close to goss's struct declarations.
func mat(name string) attr     { return attr{name: name, kind: matcherKind, omitEmpty: true} }
func matAll(name string) attr  { return attr{name: name, kind: matcherKind} } // no omitempty
func str(name string) attr     { return attr{name: name, kind: stringKind, omitEmpty: true} }
func boolean(name string) attr { return attr{name: name, kind: boolKind, omitEmpty: true} }

var (
	title   = str("title")
	meta    = attr{name: "meta", kind: metaKind, omitEmpty: true}
	skip    = boolean("skip")
	timeout = attr{name: "timeout", kind: intKind} // no omitempty, except in http
)

// resourceTypes is every resource type of goss v0.4.9, gossfile included.
var resourceTypes = []*resourceType{
	{name: "file", subject: "path", attrs: []attr{title, meta, str("path"), matAll("exists"),
		mat("mode"), mat("size"), mat("owner"), mat("uid"), mat("group"), mat("gid"), mat("linked-to"),
		mat("filetype"), mat("contains"), matAll("contents"), mat("md5"), mat("sha256"), mat("sha512"), skip}},
	{name: "package", subject: "name", attrs: []attr{title, meta, str("name"), matAll("installed"),
		mat("versions"), skip}},
	{name: "addr", subject: "address", attrs: []attr{title, meta, str("address"), str("local-address"),
		matAll("reachable"), timeout, skip}},
	{name: "port", subject: "port", attrs: []attr{title, meta, str("port"), matAll("listening"),
		mat("ip"), skip}},
	{name: "service", subject: "name", attrs: []attr{title, meta, str("name"), matAll("enabled"),
		matAll("running"), skip, mat("runlevels")}},
	{name: "user", subject: "username", attrs: []attr{title, meta, str("username"), matAll("exists"),
		mat("uid"), mat("gid"), mat("groups"), mat("home"), mat("shell"), skip}},
	{name: "group", subject: "groupname", attrs: []attr{title, meta, str("groupname"), matAll("exists"),
		mat("gid"), skip}},
	{name: "command", subject: "exec", attrs: []attr{title, meta, str("exec"), matAll("exit-status"),
		matAll("stdout"), matAll("stderr"), timeout, skip}},
	{name: "dns", subject: "resolve", attrs: []attr{title, meta, str("resolve"), mat("resolveable"),
		matAll("resolvable"), mat("addrs"), timeout, str("server"), skip}},
	{name: "process", subject: "comm", attrs: []attr{title, meta, str("comm"), matAll("running"), skip}},
	{name: "gossfile", subject: "file", ignoresDash: true, attrs: []attr{title, meta, skip, str("file")}},
	{name: "kernel-param", subject: "name", ignoresDash: true, attrs: []attr{title, meta, str("name"),
		matAll("value"), skip}},
	{name: "mount", subject: "mountpoint", attrs: []attr{title, meta, str("mountpoint"), matAll("exists"),
		mat("opts"), mat("vfs-opts"), mat("source"), mat("filesystem"), timeout, skip, mat("usage")}},
	{name: "interface", subject: "name", attrs: []attr{title, meta, str("name"), matAll("exists"),
		mat("addrs"), mat("mtu"), skip}},
	{name: "http", subject: "url", attrs: []attr{title, meta, str("url"), str("method"), matAll("status"),
		{name: "allow-insecure", kind: boolKind}, {name: "no-follow-redirects", kind: boolKind},
		{name: "timeout", kind: intKind, omitEmpty: true}, {name: "request-headers", kind: stringsKind, omitEmpty: true}, str("request-body"),
		mat("headers"), mat("body"), str("username"), str("password"), str("ca-file"), str("cert-file"),
		str("key-file"), skip, str("proxy")}},
	{name: "matching", attrs: []attr{title, meta, mat("content"), boolean("as-reader"), matAll("matches"), skip}},
}

// typeByName finds a resource type by its exact key.
func typeByName(name string) *resourceType {
	for _, t := range resourceTypes {
		if t.name == name {
			return t
		}
	}
	return nil
}

// attr finds an attribute of the type by its exact key.
func (t *resourceType) attr(name string) (attr, bool) {
	for _, a := range t.attrs {
		if a.name == name {
			return a, true
		}
	}
	return attr{}, false
}

// attrNames lists the type's attributes, sorted, for error messages.
func (t *resourceType) attrNames() string {
	names := make([]string, len(t.attrs))
	for i, a := range t.attrs {
		names[i] = a.name
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// typeNames lists the resource types, sorted, for messages.
func typeNames() string {
	names := make([]string, len(resourceTypes))
	for i, t := range resourceTypes {
		names[i] = t.name
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// init makes each type's decodeType: a struct with one field per attribute, of goss's Go type and
// with goss's tags, so that yaml.v3 and encoding/json convert every value exactly as they do when
// goss decodes its own struct. Field i is attrs[i].
func init() {
	for _, t := range resourceTypes {
		fields := make([]reflect.StructField, len(t.attrs))
		for i, a := range t.attrs {
			tag := a.name
			if a.omitEmpty {
				tag += ",omitempty"
			}
			fields[i] = reflect.StructField{
				Name: "A" + strconv.Itoa(i),
				Type: a.kind.goType(),
				Tag:  reflect.StructTag(`json:"` + tag + `" yaml:"` + tag + `"`),
			}
		}
		t.decodeType = reflect.StructOf(fields)
	}
}
