package theme

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"text/template/parse"
	"time"
)

// A layout runs on text/template's executor the first time, which makes
// html/template escape it, and on a program of Foyer's own after that:
// the escaped parse trees compiled into closures that do what
// text/template does, faster where a theme spends its time.
//
//   - A field or method is looked up by name once per receiver type at
//     each place, not on every evaluation.
//   - The escapers html/template adds to every action are Foyer's own,
//     on strings (escape.go), and the last one writes into the page
//     instead of returning a string; the theme's functions that take and
//     return strings are called directly rather than through reflection.
//   - Calls take their arguments from a stack in the state rather than
//     from a new slice.
//
// The program does only what it knows text/template would do exactly the
// same way. A construct it does not take (break and continue, index, a
// range over a map, channel or function, an escaper for JavaScript or
// for CSS other than a value, a template html/template derived for
// another context) leaves the whole template to text/template. What it cannot decide before running (a nil
// pointer, a missing map key, a value of another type than a template
// usually prints, any error of a function) makes it give up on that
// execution: what it wrote is dropped and text/template runs the layout
// again, and so gives the error, if any, with its usual message. Template
// functions are pure, so running one twice changes nothing.

// fastSlot holds the program of one layout or cached template, once
// compiled, and what became of it.
type fastSlot struct {
	tried   atomic.Bool
	prog    atomic.Pointer[program]
	refused atomic.Value // why compile refused the layout
	ran     atomic.Int64 // executions the program made
	gaveUp  atomic.Int64 // executions it handed over to text/template
}

// run runs the program, if there is one, into buf, and reports whether
// it did; when it did not, buf is as it was.
func (f *fastSlot) run(buf *bytes.Buffer, data any) bool {
	p := f.prog.Load()
	if p == nil {
		return false
	}
	if !p.run(buf, data) {
		f.gaveUp.Add(1)
		return false
	}
	f.ran.Add(1)
	return true
}

// compileOnce compiles the template name of set the first time it is
// called: after the template ran on text/template, which made
// html/template escape it.
func (f *fastSlot) compileOnce(name string, set *templateSet) {
	if f.tried.Swap(true) {
		return
	}
	p, err := compileTemplate(name, set.trees, set.funcs)
	if err != nil {
		f.refused.Store(err.Error())
		return
	}
	f.prog.Store(p)
}

// program is a compiled layout or cached template.
type program struct {
	root listFn
}

// giveUp is the panic that makes a program hand its execution over to
// text/template; reason is for tests.
type giveUp struct{ reason string }

func bail(reason string) { panic(giveUp{reason}) }

// fastGiveUps, when set (by tests), is told why each execution gave up.
var fastGiveUps atomic.Pointer[func(reason string)]

type variable struct {
	name  string
	value reflect.Value
}

type state struct {
	buf   *bytes.Buffer
	vars  []variable // variables in scope from base on
	base  int
	args  []reflect.Value // arguments of the calls being made, stacked
	depth int
}

// maxDepth bounds nested template calls; text/template allows more and
// then fails, which it does when the program hands over.
const maxDepth = 1000

type (
	listFn func(s *state, dot reflect.Value)
	// valFn evaluates a command; final is the value piped into it, which
	// the compiler knows is there or not.
	valFn func(s *state, dot, final reflect.Value) reflect.Value
	// strFn evaluates a command whose value is printed, as a string.
	strFn func(s *state, dot reflect.Value) (string, contentType)
)

// run executes the program into buf. It reports false, with buf as it
// was, when the execution gave up.
func (p *program) run(buf *bytes.Buffer, data any) (ok bool) {
	start := buf.Len()
	s := &state{buf: buf}
	defer func() {
		if r := recover(); r != nil {
			buf.Truncate(start)
			ok = false
			if tell := fastGiveUps.Load(); tell != nil {
				if g, isGiveUp := r.(giveUp); isGiveUp {
					(*tell)(g.reason)
				} else {
					(*tell)(fmt.Sprint("panic: ", r))
				}
			}
		}
	}()
	dot, isValue := data.(reflect.Value)
	if !isValue {
		dot = reflect.ValueOf(data)
	}
	s.vars = append(s.vars, variable{"$", dot})
	p.root(s, dot)
	return true
}

// errUnsupported is wrapped by the reasons compile refuses a layout.
var errUnsupported = errors.New("not supported by the fast executor")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUnsupported, fmt.Sprintf(format, args...))
}

// compiler turns one escaped template set into a program.
type compiler struct {
	trees map[string]*parse.Tree // the set's, taken before it ever ran
	funcs map[string]any
	tmpls map[string]*compiledTemplate
}

type compiledTemplate struct{ root listFn }

// compileTemplate compiles the template name of a set that has run it,
// so that html/template has escaped it and every template it calls;
// trees are the set's parse trees, which escaping edits in place, taken
// when the set was made (html/template writes its templates' Tree
// fields again when it escapes one more of them, which a later cached
// may do while this runs), and funcs the functions the set was given.
func compileTemplate(name string, trees map[string]*parse.Tree, funcs map[string]any) (*program, error) {
	c := &compiler{trees: trees, funcs: funcs, tmpls: make(map[string]*compiledTemplate)}
	t, err := c.template(name)
	if err != nil {
		return nil, err
	}
	return &program{root: t.root}, nil
}

func (c *compiler) list(l *parse.ListNode) (listFn, error) {
	if l == nil {
		return func(*state, reflect.Value) {}, nil
	}
	var fns []listFn
	for _, n := range l.Nodes {
		f, err := c.node(n)
		if err != nil {
			return nil, err
		}
		if f != nil {
			fns = append(fns, f)
		}
	}
	switch len(fns) {
	case 0:
		return func(*state, reflect.Value) {}, nil
	case 1:
		return fns[0], nil
	}
	return func(s *state, dot reflect.Value) {
		for _, f := range fns {
			f(s, dot)
		}
	}, nil
}

func (c *compiler) node(n parse.Node) (listFn, error) {
	switch n := n.(type) {
	case *parse.TextNode:
		text := n.Text
		return func(s *state, _ reflect.Value) { s.buf.Write(text) }, nil
	case *parse.CommentNode:
		return nil, nil
	case *parse.ActionNode:
		return c.action(n)
	case *parse.IfNode:
		return c.branch(&n.BranchNode, false)
	case *parse.WithNode:
		return c.branch(&n.BranchNode, true)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.templateCall(n)
	}
	return nil, unsupported("%s", n)
}

func (c *compiler) action(n *parse.ActionNode) (listFn, error) {
	if len(n.Pipe.Decl) > 0 {
		p, err := c.pipe(n.Pipe)
		if err != nil {
			return nil, err
		}
		return func(s *state, dot reflect.Value) { p(s, dot) }, nil
	}
	if f, ok, err := c.escapedAction(n.Pipe); ok || err != nil {
		return f, err
	}
	p, err := c.pipe(n.Pipe)
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) {
		v := p(s, dot)
		if !v.IsValid() || v.Type() != stringType {
			bail("printing a value that is not a string")
		}
		s.buf.WriteString(v.String())
	}, nil
}

// escapedAction compiles an action that ends in escapers, as
// html/template leaves every action that prints, into one that keeps the
// value a string from the first command to the page.
func (c *compiler) escapedAction(pipe *parse.PipeNode) (listFn, bool, error) {
	cmds := pipe.Cmds
	k := len(cmds)
	for k > 1 && escaperOf(cmds[k-1]) != nil {
		k--
	}
	if k == len(cmds) {
		return nil, false, nil
	}
	var escs []*escaper
	for _, cmd := range cmds[k:] {
		escs = append(escs, escaperOf(cmd))
	}
	if k == 1 && len(escs) == 1 && escs[0] == escapers["_html_template_htmlescaper"] {
		if f, ok := c.writtenContent(cmds[0], escs[0]); ok {
			return f, true, nil
		}
	}
	var head strFn
	if k == 1 {
		f, err := c.stringCommand(cmds[0])
		if err != nil {
			return nil, true, err
		}
		head = f
	} else {
		p, err := c.pipe(&parse.PipeNode{NodeType: parse.NodePipe, Pos: pipe.Pos, Cmds: cmds[:k]})
		if err != nil {
			return nil, true, err
		}
		head = func(s *state, dot reflect.Value) (string, contentType) {
			return stringOf(p(s, dot))
		}
	}
	last := escs[len(escs)-1]
	if last.write == nil {
		return nil, true, unsupported("%s at the end of an action", last.name)
	}
	rest := escs[:len(escs)-1]
	return func(s *state, dot reflect.Value) {
		str, t := head(s, dot)
		for _, e := range rest {
			str, t = e.apply(str, t), contentPlain
		}
		last.write(s.buf, str, t)
	}, true, nil
}

// A contentWriter is a model value whose Content, trusted HTML, it can
// also write into a page itself, without a string of its own: a page's
// or a comment's converted HTML, which a build keeps in a spool file
// and would otherwise read back into a new string for each page.
type contentWriter interface {
	Content() htmltemplate.HTML
	WriteContent(*bytes.Buffer)
}

// writtenContent compiles {{.Content}} or {{.A.B.Content}} in HTML text,
// where html/template's escaper prints trusted HTML as it is, into an
// action that has a contentWriter write its content into the page, and
// that calls Content as text/template would for any other receiver.
func (c *compiler) writtenContent(cmd *parse.CommandNode, esc *escaper) (listFn, bool) {
	n, ok := cmd.Args[0].(*parse.FieldNode)
	if !ok || len(cmd.Args) != 1 || n.Ident[len(n.Ident)-1] != "Content" {
		return nil, false
	}
	recv := dotValue
	if len(n.Ident) > 1 {
		chain, err := c.fieldChain(dotValue, n.Ident[:len(n.Ident)-1], nil, false)
		if err != nil {
			return nil, false
		}
		recv = func(s *state, dot reflect.Value) reflect.Value { return chain(s, dot, reflect.Value{}) }
	}
	f := &fieldSite{name: "Content", nameVal: reflect.ValueOf("Content")}
	return func(s *state, dot reflect.Value) {
		r := recv(s, dot)
		if w, ok := contentWriterOf(f, r); ok {
			w.WriteContent(s.buf)
			return
		}
		str, t := stringOf(s.field(f, dot, r, nil, reflect.Value{}, false))
		esc.write(s.buf, str, t)
	}, true
}

// contentWriterOf returns the receiver as a contentWriter when .Content
// on it is the method of that name, as text/template looks it up.
func contentWriterOf(f *fieldSite, receiver reflect.Value) (contentWriter, bool) {
	r, isNil := indirect(receiver)
	if !receiver.IsValid() || isNil {
		return nil, false
	}
	a := f.lookup(r)
	if a.kind != accessMethod {
		return nil, false
	}
	if a.addr {
		r = r.Addr()
	}
	if !r.CanInterface() {
		return nil, false
	}
	w, ok := r.Interface().(contentWriter)
	return w, ok
}

// escaperOf returns Foyer's escaper for a command that calls one of
// html/template's, nil for any other command.
func escaperOf(cmd *parse.CommandNode) *escaper {
	if len(cmd.Args) != 1 {
		return nil
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok {
		return nil
	}
	return escapers[id.Ident]
}

// parts compiles the pipeline, the list and the else list, if any, of
// an if, with or range.
func (c *compiler) parts(b *parse.BranchNode) (p func(*state, reflect.Value) reflect.Value, list, elseList listFn, err error) {
	if p, err = c.pipe(b.Pipe); err != nil {
		return nil, nil, nil, err
	}
	if list, err = c.list(b.List); err != nil {
		return nil, nil, nil, err
	}
	if b.ElseList != nil {
		if elseList, err = c.list(b.ElseList); err != nil {
			return nil, nil, nil, err
		}
	}
	return p, list, elseList, nil
}

func (c *compiler) branch(b *parse.BranchNode, with bool) (listFn, error) {
	p, list, elseList, err := c.parts(b)
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) {
		mark := len(s.vars)
		v := p(s, dot)
		if truth(indirectInterface(v)) {
			if with {
				list(s, v)
			} else {
				list(s, dot)
			}
		} else if elseList != nil {
			elseList(s, dot)
		}
		s.popVars(mark)
	}, nil
}

func (c *compiler) rangeNode(r *parse.RangeNode) (listFn, error) {
	if r.Pipe.IsAssign {
		return nil, unsupported("range with an assignment")
	}
	p, body, elseList, err := c.parts(&r.BranchNode)
	if err != nil {
		return nil, err
	}
	decls := len(r.Pipe.Decl)
	return func(s *state, dot reflect.Value) {
		outer := len(s.vars)
		val, _ := indirect(p(s, dot)) // p pushed the declared variables
		mark := len(s.vars)
		n := 0
		switch val.Kind() {
		case reflect.Array, reflect.Slice:
			n = val.Len()
			for i := 0; i < n; i++ {
				elem := val.Index(i)
				if decls > 0 {
					s.vars[mark-1].value = elem // the last declared
				}
				if decls > 1 {
					s.vars[mark-2].value = reflect.ValueOf(i)
				}
				body(s, elem)
				s.popVars(mark)
			}
		case reflect.Invalid: // as text/template: like an empty map
		default:
			bail("range over " + val.Kind().String())
		}
		if n == 0 && elseList != nil {
			elseList(s, dot)
		}
		s.popVars(outer)
	}, nil
}

func (c *compiler) templateCall(n *parse.TemplateNode) (listFn, error) {
	t, err := c.template(n.Name)
	if err != nil {
		return nil, err
	}
	p, err := c.pipe(n.Pipe) // without a pipeline, the new dot is no value
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) {
		if s.depth == maxDepth {
			bail("template calls nested too deep")
		}
		newDot := p(s, dot)
		// A template sees no variables of its caller's but its own $.
		base := s.base
		s.base = len(s.vars)
		s.vars = append(s.vars, variable{"$", newDot})
		s.depth++
		t.root(s, newDot)
		s.depth--
		s.popVars(s.base)
		s.base = base
	}, nil
}

// template compiles the named template of the set once; a template that
// calls itself gets the compiledTemplate being filled.
func (c *compiler) template(name string) (*compiledTemplate, error) {
	if t, ok := c.tmpls[name]; ok {
		return t, nil
	}
	tree := c.trees[name]
	if tree == nil || tree.Root == nil {
		// html/template derives templates for other contexts under
		// names only text/template knows.
		return nil, unsupported("template %q", name)
	}
	t := &compiledTemplate{}
	c.tmpls[name] = t
	root, err := c.list(tree.Root)
	if err != nil {
		return nil, err
	}
	t.root = root
	return t, nil
}

// pipe compiles a pipeline; the function it returns pushes or sets the
// variables the pipeline declares.
func (c *compiler) pipe(pipe *parse.PipeNode) (func(s *state, dot reflect.Value) reflect.Value, error) {
	if pipe == nil {
		return func(*state, reflect.Value) reflect.Value { return reflect.Value{} }, nil
	}
	cmds := make([]valFn, len(pipe.Cmds))
	for i, cmd := range pipe.Cmds {
		f, err := c.command(cmd, i > 0)
		if err != nil {
			return nil, err
		}
		cmds[i] = f
	}
	var decls []string
	for _, d := range pipe.Decl {
		decls = append(decls, d.Ident[0])
	}
	assign := pipe.IsAssign
	return func(s *state, dot reflect.Value) reflect.Value {
		var v reflect.Value
		for _, cmd := range cmds {
			v = cmd(s, dot, v)
			if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
				v = v.Elem()
			}
		}
		for _, d := range decls {
			if assign {
				s.setVar(d, v)
			} else {
				s.vars = append(s.vars, variable{d, v})
			}
		}
		return v
	}, nil
}

func (s *state) popVars(mark int) {
	clear(s.vars[mark:])
	s.vars = s.vars[:mark]
}

func (s *state) varValue(name string) reflect.Value {
	for i := len(s.vars) - 1; i >= s.base; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value
		}
	}
	bail("undefined variable " + name)
	return reflect.Value{}
}

func (s *state) setVar(name string, v reflect.Value) {
	for i := len(s.vars) - 1; i >= s.base; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return
		}
	}
	bail("undefined variable " + name)
}

// command compiles one command of a pipeline; final says whether a value
// is piped into it.
func (c *compiler) command(cmd *parse.CommandNode, final bool) (valFn, error) {
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fieldChain(dotValue, n.Ident, cmd.Args[1:], final)
	case *parse.ChainNode:
		if len(n.Field) == 0 || n.Node.Type() == parse.NodeNil {
			return nil, unsupported("%s", n)
		}
		a, err := c.arg(n.Node)
		if err != nil || a.eval == nil {
			return nil, unsupported("%s", n)
		}
		return c.fieldChain(a.eval, n.Field, cmd.Args[1:], final)
	case *parse.IdentifierNode:
		return c.call(n.Ident, cmd.Args[1:], final)
	case *parse.VariableNode:
		name := n.Ident[0]
		get := func(s *state, _ reflect.Value) reflect.Value { return s.varValue(name) }
		if len(n.Ident) > 1 {
			return c.fieldChain(get, n.Ident[1:], cmd.Args[1:], final)
		}
		if len(cmd.Args) > 1 || final {
			return nil, unsupported("arguments to a variable")
		}
		return func(s *state, dot, _ reflect.Value) reflect.Value { return get(s, dot) }, nil
	}
	if len(cmd.Args) > 1 || final {
		return nil, unsupported("arguments to %s", cmd.Args[0])
	}
	switch n := cmd.Args[0].(type) {
	case *parse.PipeNode:
		p, err := c.pipe(n)
		if err != nil {
			return nil, err
		}
		return func(s *state, dot, _ reflect.Value) reflect.Value { return p(s, dot) }, nil
	case *parse.DotNode:
		return func(_ *state, dot, _ reflect.Value) reflect.Value { return dot }, nil
	case *parse.BoolNode, *parse.StringNode, *parse.NumberNode:
		v, ok := idealConstant(n)
		if !ok {
			return nil, unsupported("constant %s", n)
		}
		return func(*state, reflect.Value, reflect.Value) reflect.Value { return v }, nil
	}
	return nil, unsupported("%s", cmd)
}

func dotValue(_ *state, dot reflect.Value) reflect.Value { return dot }

// idealConstant is the value text/template gives a constant where any
// type will do.
func idealConstant(n parse.Node) (reflect.Value, bool) {
	switch n := n.(type) {
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), true
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), true
	case *parse.NumberNode:
		switch {
		case n.IsComplex:
			return reflect.Value{}, false
		case n.IsFloat && !isHexInt(n.Text) && !isRuneInt(n.Text) && strings.ContainsAny(n.Text, ".eEpP"):
			return reflect.ValueOf(n.Float64), true
		case n.IsInt:
			if int64(int(n.Int64)) != n.Int64 {
				return reflect.Value{}, false
			}
			return reflect.ValueOf(int(n.Int64)), true
		}
	}
	return reflect.Value{}, false
}

func isRuneInt(s string) bool { return len(s) > 0 && s[0] == '\'' }

func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}

// arg is a compiled argument of a call: an expression, or a constant
// whose value depends on the parameter's type.
type arg struct {
	eval  func(s *state, dot reflect.Value) reflect.Value
	node  parse.Node    // a constant
	ideal reflect.Value // its value where any type will do
}

func (c *compiler) arg(n parse.Node) (*arg, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return &arg{eval: dotValue}, nil
	case *parse.FieldNode:
		f, err := c.fieldChain(dotValue, n.Ident, nil, false)
		if err != nil {
			return nil, err
		}
		return &arg{eval: func(s *state, dot reflect.Value) reflect.Value { return f(s, dot, reflect.Value{}) }}, nil
	case *parse.VariableNode, *parse.ChainNode, *parse.IdentifierNode:
		f, err := c.command(&parse.CommandNode{NodeType: parse.NodeCommand, Args: []parse.Node{n}}, false)
		if err != nil {
			return nil, err
		}
		return &arg{eval: func(s *state, dot reflect.Value) reflect.Value { return f(s, dot, reflect.Value{}) }}, nil
	case *parse.PipeNode:
		p, err := c.pipe(n)
		if err != nil {
			return nil, err
		}
		return &arg{eval: p}, nil
	case *parse.BoolNode, *parse.StringNode, *parse.NumberNode:
		v, _ := idealConstant(n) // invalid for a constant only some types take
		return &arg{node: n, ideal: v}, nil
	}
	return nil, unsupported("argument %s", n)
}

func (c *compiler) args(nodes []parse.Node) ([]*arg, error) {
	args := make([]*arg, len(nodes))
	for i, n := range nodes {
		a, err := c.arg(n)
		if err != nil {
			return nil, err
		}
		args[i] = a
	}
	return args, nil
}

// value evaluates the argument for a parameter of type typ, as
// text/template does: an expression's value converted by validateType's
// rules, a constant taken as typ.
func (a *arg) value(s *state, dot reflect.Value, typ reflect.Type) reflect.Value {
	if a.eval != nil {
		return validate(a.eval(s, dot), typ)
	}
	if typ.Kind() == reflect.Interface && typ.NumMethod() == 0 {
		if !a.ideal.IsValid() {
			bail("constant " + a.node.String())
		}
		return a.ideal
	}
	switch n := a.node.(type) {
	case *parse.StringNode:
		if typ.Kind() == reflect.String {
			return a.ideal.Convert(typ)
		}
	case *parse.BoolNode:
		if typ.Kind() == reflect.Bool {
			return a.ideal.Convert(typ)
		}
	case *parse.NumberNode:
		switch typ.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if n.IsInt {
				v := reflect.New(typ).Elem()
				v.SetInt(n.Int64)
				if v.Int() == n.Int64 {
					return v
				}
			}
		case reflect.Float32, reflect.Float64:
			if n.IsFloat {
				v := reflect.New(typ).Elem()
				v.SetFloat(n.Float64)
				return v
			}
		}
	}
	bail("constant " + a.node.String() + " for " + typ.String())
	return reflect.Value{}
}

// validate converts a value for a parameter of type typ as
// text/template's validateType does, and gives up where that fails.
func validate(v reflect.Value, typ reflect.Type) reflect.Value {
	if !v.IsValid() {
		if typ == nil {
			return v
		}
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		bail("invalid value for " + typ.String())
	}
	if typ == nil || v.Type().AssignableTo(typ) {
		return v
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
		if v.Type().AssignableTo(typ) {
			return v
		}
	}
	switch {
	case v.Kind() == reflect.Pointer && v.Type().Elem().AssignableTo(typ):
		if v.IsNil() {
			bail("nil pointer")
		}
		return v.Elem()
	case reflect.PointerTo(v.Type()).AssignableTo(typ) && v.CanAddr():
		return v.Addr()
	}
	bail("wrong type " + v.Type().String() + " for " + typ.String())
	return reflect.Value{}
}

func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	case reflect.Struct:
		return typ == reflectValueType
	}
	return false
}

// indirect goes through pointers and interfaces to the value at the end,
// and reports whether it met a nil one (then returned).
func indirect(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface || v.IsNil() {
		if v.Kind() == reflect.Interface {
			return reflect.Value{}
		}
		return v
	}
	return v.Elem()
}

// truth is text/template's: not the zero value, a struct always true.
func truth(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	case reflect.Bool:
		return v.Bool()
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0
	case reflect.Struct:
		return true
	}
	bail("no truth value for " + v.Kind().String())
	return false
}

// fieldSite is one .Name in a template, with what the name was for the
// receiver type it last met.
type fieldSite struct {
	name    string
	nameVal reflect.Value
	last    atomic.Pointer[accessor]
}

type accessKind uint8

const (
	accessField accessKind = iota
	accessMethod
	accessMap
	accessNone
)

type accessor struct {
	typ   reflect.Type // the receiver's, after indirection
	addr  bool         // the receiver was addressable
	kind  accessKind
	index []int         // of a field
	fn    reflect.Value // a method, with its receiver as first argument
}

func (f *fieldSite) lookup(r reflect.Value) *accessor {
	rt, addr := r.Type(), r.CanAddr()
	if a := f.last.Load(); a != nil && a.typ == rt && a.addr == addr {
		return a
	}
	a := &accessor{typ: rt, addr: addr, kind: accessNone}
	pt := rt
	if addr {
		pt = reflect.PointerTo(rt)
	}
	if m, ok := pt.MethodByName(f.name); ok {
		a.kind, a.fn = accessMethod, m.Func
	} else {
		switch rt.Kind() {
		case reflect.Struct:
			if sf, ok := rt.FieldByName(f.name); ok && sf.IsExported() {
				a.kind, a.index = accessField, sf.Index
			}
		case reflect.Map:
			if stringType.AssignableTo(rt.Key()) {
				a.kind = accessMap
			}
		}
	}
	f.last.Store(a)
	return a
}

// fieldChain compiles .A.B.C on the value recv gives; the last name gets
// the arguments and the piped value, if any.
func (c *compiler) fieldChain(recv func(*state, reflect.Value) reflect.Value, names []string, args []parse.Node, final bool) (valFn, error) {
	sites := make([]*fieldSite, len(names))
	for i, name := range names {
		sites[i] = &fieldSite{name: name, nameVal: reflect.ValueOf(name)}
	}
	cargs, err := c.args(args)
	if err != nil {
		return nil, err
	}
	last := len(sites) - 1
	return func(s *state, dot, fin reflect.Value) reflect.Value {
		r := recv(s, dot)
		for _, f := range sites[:last] {
			r = s.field(f, dot, r, nil, reflect.Value{}, false)
		}
		return s.field(sites[last], dot, r, cargs, fin, final)
	}, nil
}

func (s *state) field(f *fieldSite, dot, receiver reflect.Value, args []*arg, final reflect.Value, hasFinal bool) reflect.Value {
	r, isNil := indirect(receiver)
	if !receiver.IsValid() || isNil {
		bail("nil receiver for ." + f.name)
	}
	a := f.lookup(r)
	switch a.kind {
	case accessMethod:
		if a.addr {
			r = r.Addr()
		}
		return s.call(a.fn, r, args, dot, final, hasFinal)
	case accessField:
		if len(args) > 0 || hasFinal {
			bail("arguments to field ." + f.name)
		}
		return r.FieldByIndex(a.index)
	case accessMap:
		if len(args) > 0 || hasFinal {
			bail("arguments to map key ." + f.name)
		}
		v := r.MapIndex(f.nameVal)
		if !v.IsValid() {
			bail("no map entry " + f.name)
		}
		return v
	}
	bail("no field or method ." + f.name)
	return reflect.Value{}
}

// call calls fn with recv first when it is valid (a method), then the
// arguments, then the piped value, converted as text/template converts
// them, and returns its first result.
func (s *state) call(fn, recv reflect.Value, args []*arg, dot, final reflect.Value, hasFinal bool) reflect.Value {
	typ := fn.Type()
	base := len(s.args)
	in := 0
	if recv.IsValid() {
		s.args = append(s.args, recv)
		in = 1
	}
	n := in + len(args)
	if hasFinal {
		n++
	}
	numIn := typ.NumIn()
	if typ.IsVariadic() {
		if n < numIn-1 {
			bail("too few arguments")
		}
	} else if n != numIn {
		bail("wrong number of arguments")
	}
	if out := typ.NumOut(); out == 0 || out > 2 || out == 2 && typ.Out(1) != errorType {
		bail("function results")
	}
	param := func(i int) reflect.Type {
		if typ.IsVariadic() && i >= numIn-1 {
			return typ.In(numIn - 1).Elem()
		}
		return typ.In(i)
	}
	for i, a := range args {
		v := a.value(s, dot, param(in+i))
		s.args = append(s.args, v)
	}
	if hasFinal {
		s.args = append(s.args, validate(final, param(n-1)))
	}
	out := fn.Call(s.args[base:])
	clear(s.args[base:])
	s.args = s.args[:base]
	if len(out) == 2 && !out[1].IsNil() {
		bail("error from a function")
	}
	v := out[0]
	if v.Type() == reflectValueType {
		v = v.Interface().(reflect.Value)
	}
	return v
}

var (
	stringType       = reflect.TypeFor[string]()
	errorType        = reflect.TypeFor[error]()
	reflectValueType = reflect.TypeFor[reflect.Value]()
	htmlType         = reflect.TypeFor[htmltemplate.HTML]()
	urlType          = reflect.TypeFor[htmltemplate.URL]()
	htmlAttrType     = reflect.TypeFor[htmltemplate.HTMLAttr]()
	intType          = reflect.TypeFor[int]()
	timeType         = reflect.TypeFor[time.Time]()
)

// stringOf is what an escaper makes of a value it is given alone: a
// string, with its content type for html/template's typed strings. Other
// types, but int, make the program give up.
func stringOf(v reflect.Value) (string, contentType) {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if !v.IsValid() {
		bail("printing no value")
	}
	switch v.Type() {
	case stringType:
		return v.String(), contentPlain
	case htmlType:
		return v.String(), contentHTML
	case urlType:
		return v.String(), contentURL
	case htmlAttrType:
		return v.String(), contentHTMLAttr
	case intType:
		return strconv.FormatInt(v.Int(), 10), contentPlain
	}
	bail("printing a " + v.Type().String())
	return "", contentPlain
}

// call compiles a call of the function name, which is the theme's, an
// escaper or one of text/template's builtins.
func (c *compiler) call(name string, argNodes []parse.Node, final bool) (valFn, error) {
	args, err := c.args(argNodes)
	if err != nil {
		return nil, err
	}
	if f, ok := c.function(name); ok {
		if sf := c.stringFunc(f, args, final); sf != nil {
			return func(s *state, dot, fin reflect.Value) reflect.Value {
				str, t := sf(s, dot, fin)
				return typedString(str, t)
			}, nil
		}
		return reflectiveCall(name, f, args, final)
	}
	if e := escapers[name]; e != nil {
		if len(args) != 0 || !final {
			return nil, unsupported("%s with arguments", name)
		}
		return func(_ *state, _, fin reflect.Value) reflect.Value {
			return reflect.ValueOf(e.apply(stringOf(fin)))
		}, nil
	}
	return builtin(name, args, final)
}

// function returns the Go function a template calls by name: the
// theme's, or one of text/template's printing builtins, which are fmt's.
func (c *compiler) function(name string) (any, bool) {
	if f, ok := c.funcs[name]; ok {
		return f, true
	}
	if _, escaper := escapers[name]; escaper {
		return nil, false
	}
	switch name {
	case "print":
		return fmt.Sprint, true
	case "printf":
		return fmt.Sprintf, true
	case "println":
		return fmt.Sprintln, true
	}
	return nil, false
}

// reflectiveCall compiles a call of the Go function f by reflection, as
// text/template makes every call.
func reflectiveCall(name string, f any, args []*arg, final bool) (valFn, error) {
	fn := reflect.ValueOf(f)
	if fn.Kind() != reflect.Func {
		return nil, unsupported("function %s", name)
	}
	return func(s *state, dot, fin reflect.Value) reflect.Value {
		return s.call(fn, reflect.Value{}, args, dot, fin, final)
	}, nil
}

func typedString(s string, t contentType) reflect.Value {
	if t == contentHTML {
		return reflect.ValueOf(htmltemplate.HTML(s))
	}
	return reflect.ValueOf(s)
}

// stringCommand compiles a command whose value an escaper prints: a
// string function's string as it is, any other value through stringOf.
func (c *compiler) stringCommand(cmd *parse.CommandNode) (strFn, error) {
	if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		if fn, ok := c.function(id.Ident); ok {
			args, err := c.args(cmd.Args[1:])
			if err != nil {
				return nil, err
			}
			if sf := c.stringFunc(fn, args, false); sf != nil {
				return func(s *state, dot reflect.Value) (string, contentType) {
					return sf(s, dot, reflect.Value{})
				}, nil
			}
			return stringOfCall(reflectiveCall(id.Ident, fn, args, false))
		}
	}
	return stringOfCall(c.command(cmd, false))
}

// stringOfCall is a compiled command's value through stringOf.
func stringOfCall(f valFn, err error) (strFn, error) {
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) (string, contentType) {
		return stringOf(f(s, dot, reflect.Value{}))
	}, nil
}

// stringFunc returns a direct call of the theme's function f when its
// type is one of those the theme's string functions have, nil otherwise.
func (c *compiler) stringFunc(f any, args []*arg, final bool) func(s *state, dot, fin reflect.Value) (string, contentType) {
	n := len(args)
	if final {
		n++
	}
	// argument i of the call, the piped value last
	get := func(s *state, dot, fin reflect.Value, i int, typ reflect.Type) reflect.Value {
		if i < len(args) {
			return args[i].value(s, dot, typ)
		}
		return validate(fin, typ)
	}
	switch f := f.(type) {
	case func(string) string:
		if n != 1 {
			return nil
		}
		return func(s *state, dot, fin reflect.Value) (string, contentType) {
			return f(get(s, dot, fin, 0, stringType).String()), contentPlain
		}
	case func(time.Time) string:
		if n != 1 {
			return nil
		}
		return func(s *state, dot, fin reflect.Value) (string, contentType) {
			return f(timeOf(get(s, dot, fin, 0, timeType))), contentPlain
		}
	case func(string, ...any) string:
		if n < 1 {
			return nil
		}
		return func(s *state, dot, fin reflect.Value) (string, contentType) {
			key := get(s, dot, fin, 0, stringType).String()
			if n == 1 {
				return f(key), contentPlain
			}
			return f(key, anyArgs(s, dot, fin, n, 1, get)...), contentPlain
		}
	case func(...any) string:
		return func(s *state, dot, fin reflect.Value) (string, contentType) {
			return f(anyArgs(s, dot, fin, n, 0, get)...), contentPlain
		}
	case func(string, any) (htmltemplate.HTML, error):
		if n != 2 {
			return nil
		}
		return func(s *state, dot, fin reflect.Value) (string, contentType) {
			name := get(s, dot, fin, 0, stringType).String()
			var data any
			if v := get(s, dot, fin, 1, anyType); v.IsValid() {
				data = v.Interface()
			}
			h, err := f(name, data)
			if err != nil {
				bail("error from a function")
			}
			return string(h), contentHTML
		}
	}
	return nil
}

var anyType = reflect.TypeFor[any]()

// anyArgs evaluates the arguments from the first-th on for a variadic
// parameter of type any.
func anyArgs(s *state, dot, fin reflect.Value, n, first int, get func(s *state, dot, fin reflect.Value, i int, typ reflect.Type) reflect.Value) []any {
	out := make([]any, n-first)
	for i := range out {
		if v := get(s, dot, fin, first+i, anyType); v.IsValid() {
			out[i] = v.Interface()
		}
	}
	return out
}

// timeOf returns the time.Time in v without copying it to the heap when
// it can.
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}
