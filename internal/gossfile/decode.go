package gossfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// document is one rendered gossfile, decoded.
type document struct {
	resources []Resource // its own, in the order written, Entry not yet set
	includes  []Resource // its gossfile resources
}

// Types of the top level of a gossfile, as goss's GossConfig with each resource type's section
// kept raw: a yaml.Node or the JSON text, decoded later one resource at a time so that an error
// can name the resource and attribute. The tags are GossConfig's, so yaml.v3 and encoding/json
// pick the sections exactly as they do for goss (encoding/json whatever their letter case).
var topYAML, topJSON = topTypes()

func topTypes() (reflect.Type, reflect.Type) {
	var y, j []reflect.StructField
	for i, t := range resourceTypes {
		name := fmt.Sprintf("T%d", i)
		y = append(y, reflect.StructField{Name: name, Type: reflect.TypeFor[yaml.Node](),
			Tag: reflect.StructTag(`yaml:"` + t.name + `,omitempty"`)})
		j = append(j, reflect.StructField{Name: name, Type: reflect.TypeFor[json.RawMessage](),
			Tag: reflect.StructTag(`json:"` + t.name + `,omitempty"`)})
	}
	return reflect.StructOf(y), reflect.StructOf(j)
}

// decoder decodes one rendered gossfile.
type decoder struct {
	l        *loader
	file     string // as the user writes it
	keepLine bool   // the rendered text has the source's lines, so a line of one is a line of the other
	errs     []error
	doc      document
}

func decode(l *loader, file string, src, rendered []byte, f format) (*document, error) {
	d := &decoder{l: l, file: file, keepLine: sameLines(src, rendered)}
	if f == jsonFormat {
		d.json(rendered)
	} else {
		d.yaml(rendered)
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return &d.doc, nil
}

// line turns a line of the rendered text into a line of the source, 0 when unknown.
func (d *decoder) line(n int) int {
	if d.keepLine {
		return n
	}
	return 0
}

func (d *decoder) fail(line int, typ, id, attr, problem string) {
	d.errs = append(d.errs, &Error{File: d.file, Line: d.line(line), Type: typ, ID: id, Attr: attr, Problem: problem})
}

func (d *decoder) warn(line int, typ, id, attr, msg string) {
	d.l.warn(where(d.file, d.line(line), typ, id, attr) + msg)
}

// sameLines tells whether rendering kept every line where it was: the same number of lines, and
// each line without a template action unchanged. Then a line number of the rendered text, which
// the decoders give, is one of the file the user wrote.
func sameLines(src, out []byte) bool {
	if bytes.Equal(src, out) {
		return true
	}
	a, b := bytes.Split(src, []byte("\n")), bytes.Split(out, []byte("\n"))
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Contains(a[i], []byte("{{")) && !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// yaml decodes a YAML gossfile as goss does with yaml.v3's Unmarshal: the first document only.
func (d *decoder) yaml(data []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if err != io.EOF {
			d.fail(0, "", "", "", d.yamlProblem("not valid YAML: ", err))
		}
		return
	}
	for n := 2; ; n++ {
		var more yaml.Node
		err := dec.Decode(&more)
		if err == io.EOF {
			break
		}
		if err != nil {
			d.warn(0, "", "", "", fmt.Sprintf("YAML document %d and those after it are ignored: goss reads only the first (and it is not valid YAML: %s)", n, d.yamlError(err)))
			break
		}
		if len(more.Content) > 0 && !(more.Content[0].Kind == yaml.ScalarNode && more.Content[0].ShortTag() == "!!null") {
			d.warn(more.Line, "", "", "", fmt.Sprintf("YAML document %d is ignored: goss reads only the first document of a file; move its resources into the first", n))
		}
	}
	top := reflect.New(topYAML)
	if err := root.Decode(top.Interface()); err != nil {
		d.fail(0, "", "", "", d.yamlProblem("not a goss file, whose top level maps resource types (file, package, …) to resources: ", err))
		return
	}
	done := map[string]bool{}
	var body *yaml.Node
	if len(root.Content) > 0 {
		body = root.Content[0]
	}
	for _, p := range pairs(body) {
		t := typeByName(p.key.Value)
		if t == nil {
			// A key whose value carries an anchor is the YAML idiom for defaults that resources
			// merge (<<: *defaults): that goss ignores the key is the point, no news.
			if p.value.Anchor == "" {
				d.warn(p.key.Line, "", "", "", unknownType(p.key.Value))
			}
			continue
		}
		if !done[t.name] {
			done[t.name] = true
			d.yamlSection(t, top.Elem().Field(typeIndex(t)).Addr().Interface().(*yaml.Node), p.key.Line)
		}
	}
	// A section the walk did not see (reached in some way pairs does not follow) still counts.
	for i, t := range resourceTypes {
		if n := top.Elem().Field(i).Addr().Interface().(*yaml.Node); !done[t.name] && n.Kind != 0 {
			d.yamlSection(t, n, 0)
		}
	}
}

func typeIndex(t *resourceType) int {
	for i, u := range resourceTypes {
		if u == t {
			return i
		}
	}
	panic("gossfile: type not in resourceTypes: " + t.name)
}

// yamlSection decodes one resource type's mapping of keys to resources, as goss's
// ResourceTypeMap.UnmarshalYAML does.
func (d *decoder) yamlSection(t *resourceType, section *yaml.Node, keyLine int) {
	var byID map[string]yaml.Node
	if err := section.Decode(&byID); err != nil {
		d.fail(keyLine, "", "", "", t.name+": "+d.yamlProblem(fmt.Sprintf("must map keys to %s resources: ", t.name), err))
		return
	}
	lines := map[string]int{}
	var ids []string
	for _, p := range pairs(section) {
		if _, ok := byID[p.key.Value]; ok && lines[p.key.Value] == 0 {
			lines[p.key.Value] = p.key.Line
			ids = append(ids, p.key.Value)
		}
	}
	ids = appendMissing(ids, byID)
	d.warnNullKeys(section, t.name, "")
	for _, id := range ids {
		node := byID[id]
		line := lines[id]
		d.warnNullKeys(&node, t.name, id)
		var generic map[string]any
		if err := node.Decode(&generic); err != nil {
			d.fail(line, t.name, id, "", d.yamlProblem("must be a mapping of attributes: ", err))
			continue
		}
		attrs := d.attrs(t, id, line, generic, func(v any) error { return node.Decode(v) }, func(err error) string {
			// Name the attribute whose value the decoder refused, by decoding each alone.
			for _, p := range pairs(&node) {
				if a, ok := t.attr(p.key.Value); ok {
					if e := p.value.Decode(reflect.New(a.kind.goType()).Interface()); e != nil {
						return p.key.Value
					}
				}
			}
			return ""
		})
		if attrs != nil {
			d.add(t, id, line, attrs)
		}
	}
}

// warnNullKeys warns about the keys of a mapping that YAML reads as null (~, null or nothing):
// yaml.v3 cannot make them a string, so goss silently drops them and all under them.
func (d *decoder) warnNullKeys(n *yaml.Node, typ, id string) {
	const dropped = " whose key is null (%q) is dropped by goss without a word; quote the key or remove it"
	for _, p := range pairs(n) {
		if p.key.Kind == yaml.ScalarNode && p.key.ShortTag() == "!!null" {
			if id == "" {
				d.warn(p.key.Line, "", "", "", typ+": a resource"+fmt.Sprintf(dropped, p.key.Value))
			} else {
				d.warn(p.key.Line, typ, id, "", "an attribute"+fmt.Sprintf(dropped, p.key.Value))
			}
		}
	}
}

// attrs checks a resource's attributes against goss's list for the type (util's
// ValidateSections) and decodes them into goss's Go types. generic is the resource decoded as a
// map; decodeInto decodes it into a struct; culprit names the attribute a decoding error is about.
// It returns nil after recording an error.
func (d *decoder) attrs(t *resourceType, id string, line int, generic map[string]any,
	decodeInto func(any) error, culprit func(error) string) map[string]any {
	if generic == nil {
		d.fail(line, t.name, id, "", "has no attributes (null): goss v0.4.9 fails with \"Could not parse resource\"; write {} for a resource with none")
		return nil
	}
	bad := false
	for _, key := range sortedKeys(generic) {
		if _, ok := t.attr(key); ok {
			continue
		}
		if key == "-" && t.ignoresDash {
			d.warn(line, t.name, id, "", `attribute "-" is ignored by goss; remove it`)
			continue
		}
		bad = true
		d.fail(line, t.name, id, key, fmt.Sprintf("%s has no such attribute: goss v0.4.9 refuses the file (\"invalid Attribute\"); %s attributes: %s%s",
			t.name, t.name, t.attrNames(), suggest(key, t)))
	}
	if bad {
		return nil
	}
	v := reflect.New(t.decodeType)
	if err := decodeInto(v.Interface()); err != nil {
		d.fail(line, t.name, id, culprit(err), "cannot be read as goss reads it: "+d.anyError(err))
		return nil
	}
	attrs := make(map[string]any, len(generic))
	for i, a := range t.attrs {
		if _, ok := generic[a.name]; ok {
			attrs[a.name] = v.Elem().Field(i).Interface()
		}
	}
	return attrs
}

// suggest names the attribute a misspelt one was probably meant to be.
func suggest(key string, t *resourceType) string {
	k := strings.ToLower(strings.ReplaceAll(key, "_", "-"))
	for _, a := range t.attrs {
		if a.name == k || a.name == strings.TrimSuffix(k, "s") || a.name == k+"s" {
			return fmt.Sprintf(" (did you mean %q?)", a.name)
		}
	}
	return ""
}

// add records a decoded resource: an include, or one of the file's own.
func (d *decoder) add(t *resourceType, id string, line int, attrs map[string]any) {
	r := Resource{File: d.file, Line: d.line(line), Type: t.name, ID: id, Subject: id, Attrs: attrs}
	if t.subject != "" {
		if s, _ := attrs[t.subject].(string); s != "" {
			r.Subject = s
		}
	}
	if t.name == "gossfile" {
		d.doc.includes = append(d.doc.includes, r)
	} else {
		d.doc.resources = append(d.doc.resources, r)
	}
}

// yamlProblem words a yaml.v3 error: a duplicate key for what it is, anything else after what
// was expected.
func (d *decoder) yamlProblem(expected string, err error) string {
	if strings.Contains(err.Error(), "already defined at line") {
		return "a key appears twice in one mapping, which goss v0.4.9 (yaml.v3) refuses: " + d.yamlError(err) + "; keep one"
	}
	return expected + d.yamlError(err)
}

// yamlError words a yaml.v3 error, with its line numbers made the source's when they are known
// to be the same, else said to be of the rendered text.
func (d *decoder) yamlError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	msg = goTypes.ReplaceAllStringFunc(msg, func(s string) string { return "into " + friendlyType(strings.TrimPrefix(s, "into ")) })
	if !d.keepLine {
		msg = strings.ReplaceAll(msg, "line ", "rendered line ")
	}
	return msg
}

func (d *decoder) anyError(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return d.yamlError(err)
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return fmt.Sprintf("a JSON %s where goss wants %s", ute.Value, friendlyType(ute.Type.String()))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// goTypes finds the Go types in yaml.v3's messages, which say what a value could not become.
var goTypes = regexp.MustCompile(`into (map\[[^ ]*\](interface \{\}|[a-zA-Z.]+)|struct \{.*\}|\[\]string|bool|int)\b`)

// friendlyType names a Go type goss decodes into in a gossfile's words.
func friendlyType(goType string) string {
	switch {
	case goType == "bool":
		return "a bool (true or false)"
	case goType == "int":
		return "a whole number"
	case goType == "string":
		return "a string"
	case goType == "[]string":
		return "a list of strings"
	case strings.HasPrefix(goType, "map[") || strings.HasPrefix(goType, "struct {"):
		return "a mapping"
	}
	return goType
}

// pair is a key and its value in a YAML mapping.
type pair struct{ key, value *yaml.Node }

// pairs lists a mapping's keys and values as yaml.v3 decodes them: aliases followed, the
// mapping's own keys in order, then those merge keys (<<) bring that it lacks, an earlier merged
// mapping before a later one. Keys are compared by their text.
func pairs(n *yaml.Node) []pair {
	return pairsDepth(n, 0)
}

func pairsDepth(n *yaml.Node, depth int) []pair {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > 64 {
		return nil
	}
	seen := map[string]bool{}
	var out []pair
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "" || k.Tag == "!" || k.ShortTag() == "!!merge") {
			merges = append(merges, v)
			continue
		}
		if !seen[k.Value] {
			seen[k.Value] = true
			out = append(out, pair{k, v})
		}
	}
	for _, m := range merges {
		m = resolve(m)
		if m == nil {
			continue
		}
		maps := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			maps = m.Content
		}
		for _, mm := range maps {
			for _, p := range pairsDepth(mm, depth+1) {
				if !seen[p.key.Value] {
					seen[p.key.Value] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && i < 64; i++ {
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		case yaml.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return n
}

// appendMissing adds, sorted, the keys of m that ids lacks.
func appendMissing[V any](ids []string, m map[string]V) []string {
	have := make(map[string]bool, len(ids))
	for _, id := range ids {
		have[id] = true
	}
	var rest []string
	for k := range m {
		if !have[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(ids, rest...)
}

func sortedKeys[V any](m map[string]V) []string {
	return appendMissing(nil, m)
}

// json decodes a JSON gossfile as goss does with encoding/json.
func (d *decoder) json(data []byte) {
	top := reflect.New(topJSON)
	if err := json.Unmarshal(data, top.Interface()); err != nil {
		var se *json.SyntaxError
		line := 0
		if errors.As(err, &se) {
			line = lineAt(data, se.Offset)
		}
		d.fail(line, "", "", "", "not valid JSON for goss, whose top level is an object of resource types (file, package, …): "+strings.TrimPrefix(err.Error(), "json: "))
		return
	}
	layout := d.walkJSON(data)
	done := map[string]bool{}
	for _, k := range layout.top {
		t := jsonType(k.name)
		if t == nil {
			d.warn(k.line, "", "", "", unknownType(k.name))
			continue
		}
		if done[t.name] {
			continue
		}
		done[t.name] = true
		// encoding/json keeps the last of the keys that name the type, whatever their case.
		var last *jsonKey
		for i := range layout.top {
			if jsonType(layout.top[i].name) == t {
				last = &layout.top[i]
			}
		}
		raw := top.Elem().Field(typeIndex(t)).Interface().(json.RawMessage)
		d.jsonSection(t, raw, last)
	}
	// A section the walk did not see still counts.
	for i, t := range resourceTypes {
		if raw := top.Elem().Field(i).Interface().(json.RawMessage); !done[t.name] && len(raw) > 0 {
			d.jsonSection(t, raw, &jsonKey{name: t.name})
		}
	}
}

// unknownType words the warning about a top-level key that is no resource type.
func unknownType(key string) string {
	msg := fmt.Sprintf("%q is not a goss resource type, so goss ignores it and everything under it", key)
	k := strings.ToLower(key)
	for _, t := range resourceTypes {
		if t.name == k || t.name+"s" == k || t.name == strings.ReplaceAll(k, "_", "-") {
			return msg + fmt.Sprintf(" (did you mean %q?)", t.name)
		}
	}
	return msg + " (types: " + typeNames() + ")"
}

// jsonType is the resource type a top-level JSON key selects: encoding/json matches a struct
// field's name without regard to letter case.
func jsonType(key string) *resourceType {
	for _, t := range resourceTypes {
		if strings.EqualFold(t.name, key) {
			return t
		}
	}
	return nil
}

func (d *decoder) jsonSection(t *resourceType, raw json.RawMessage, k *jsonKey) {
	var byID map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byID); err != nil {
		d.fail(k.line, "", "", "", fmt.Sprintf("%s: must be an object of keys to %s resources: %s", t.name, t.name, strings.TrimPrefix(err.Error(), "json: ")))
		return
	}
	lines := map[string]int{}
	var ids []string
	for _, c := range k.children {
		if _, ok := lines[c.name]; !ok {
			ids = append(ids, c.name)
		}
		lines[c.name] = c.line // the last one wins
	}
	ids = appendMissing(ids, byID)
	for _, id := range ids {
		res, ok := byID[id]
		if !ok {
			continue
		}
		line := lines[id]
		var generic map[string]any
		if err := json.Unmarshal(res, &generic); err != nil {
			d.fail(line, t.name, id, "", "must be an object of attributes: "+strings.TrimPrefix(err.Error(), "json: "))
			continue
		}
		attrs := d.attrs(t, id, line, generic, func(v any) error { return json.Unmarshal(res, v) }, func(err error) string {
			var ute *json.UnmarshalTypeError
			if errors.As(err, &ute) {
				return ute.Field
			}
			return ""
		})
		if attrs != nil {
			d.add(t, id, line, attrs)
		}
	}
}

// jsonKey is a key of a JSON object, where it is, and the keys of its value when that is an
// object.
type jsonKey struct {
	name     string
	line     int
	children []jsonKey
}

type jsonLayout struct {
	top []jsonKey
}

// walkJSON lists the top-level keys of a valid JSON gossfile and the keys under each, and warns
// about every key that appears twice in one object, which encoding/json silently resolves to the
// later value.
func (d *decoder) walkJSON(data []byte) jsonLayout {
	dec := json.NewDecoder(bytes.NewReader(data))
	var layout jsonLayout
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return layout
	}
	layout.top = d.walkObject(dec, data, nil, 1)
	return layout
}

// walkObject reads an object's keys and values after its '{', down to depth 2 for the layout
// and all the way for duplicates. path is the keys above: type, resource, attribute, ….
func (d *decoder) walkObject(dec *json.Decoder, data []byte, path []string, depth int) []jsonKey {
	var keys []jsonKey
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		name, _ := tok.(string)
		k := jsonKey{name: name, line: lineAt(data, dec.InputOffset())}
		folded := name
		if depth == 1 && jsonType(name) != nil {
			folded = jsonType(name).name
		}
		if seen[folded] {
			d.jsonDuplicate(k, path, depth == 1 && jsonType(name) != nil)
		}
		seen[folded] = true
		tok, err = dec.Token()
		if err != nil {
			return keys
		}
		switch tok {
		case json.Delim('{'):
			children := d.walkObject(dec, data, append(path[:len(path):len(path)], name), depth+1)
			if depth < 2 {
				k.children = children
			}
		case json.Delim('['):
			d.walkArray(dec, data, append(path[:len(path):len(path)], name), depth+1)
		}
		keys = append(keys, k)
	}
	_, _ = dec.Token() // '}'
	return keys
}

func (d *decoder) walkArray(dec *json.Decoder, data []byte, path []string, depth int) {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case json.Delim('{'):
			d.walkObject(dec, data, path, depth+1)
		case json.Delim('['):
			d.walkArray(dec, data, path, depth+1)
		}
	}
	_, _ = dec.Token() // ']'
}

func (d *decoder) jsonDuplicate(k jsonKey, path []string, isType bool) {
	const later = "; goss silently keeps the later value (encoding/json allows duplicate keys): remove one"
	switch {
	case len(path) == 0 && !isType:
		d.warn(k.line, "", "", "", fmt.Sprintf("key %q appears twice%s", k.name, later))
	case len(path) == 0:
		d.warn(k.line, "", "", "", fmt.Sprintf("%q names a resource type named before: goss (encoding/json) keeps only the last, so the %s resources before it are dropped; merge them into one", k.name, jsonType(k.name).name))
	case len(path) == 1:
		d.warn(k.line, "", "", "", fmt.Sprintf("%s: key %q appears twice%s", path[0], k.name, later))
	case len(path) == 2:
		d.warn(k.line, path[0], path[1], "", fmt.Sprintf("attribute %q appears twice%s", k.name, later))
	default:
		d.warn(k.line, path[0], path[1], strings.Join(path[2:], "."), fmt.Sprintf("key %q appears twice%s", k.name, later))
	}
}

// lineAt is the line of a byte offset.
func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset < 0 {
		offset = 0
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
