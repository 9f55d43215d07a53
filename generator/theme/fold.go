package theme

import (
	"strconv"
	"text/template/parse"
)

// foldStrings replaces, in each of the templates parsed into trees, every call
// {{t "key"}} of a theme string without arguments by the string itself,
// a constant: the text is known once the strings are loaded, and a
// template function call costs a reflective call (and, t being variadic,
// a slice) on every execution. A theme uses dozens of such calls on a
// page, and a page of comments a few for each comment.
//
// The constant goes where the call was, before html/template escapes the
// templates: it is escaped for its context, as the call's result was.
// Only a call that begins a pipeline is folded: one after a "|" also
// gets the value piped into it.
func foldStrings(f Funcs, trees ...*parse.Tree) {
	for _, tree := range trees {
		if tree != nil && tree.Root != nil {
			foldNode(tree.Root, f)
		}
	}
}

func foldNode(n parse.Node, f Funcs) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			foldNode(c, f)
		}
	case *parse.ActionNode:
		foldPipe(n.Pipe, f)
	case *parse.IfNode:
		foldBranch(&n.BranchNode, f)
	case *parse.RangeNode:
		foldBranch(&n.BranchNode, f)
	case *parse.WithNode:
		foldBranch(&n.BranchNode, f)
	case *parse.TemplateNode:
		foldPipe(n.Pipe, f)
	case *parse.PipeNode:
		foldPipe(n, f)
	case *parse.ChainNode:
		foldNode(n.Node, f)
	}
}

func foldBranch(b *parse.BranchNode, f Funcs) {
	foldPipe(b.Pipe, f)
	foldNode(b.List, f)
	if b.ElseList != nil {
		foldNode(b.ElseList, f)
	}
}

func foldPipe(p *parse.PipeNode, f Funcs) {
	if p == nil {
		return
	}
	for i, cmd := range p.Cmds {
		if i == 0 {
			if s, ok := stringCall(cmd, f); ok {
				cmd.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: cmd.Args[0].Position(), Quoted: strconv.Quote(s), Text: s}}
				continue
			}
		}
		for _, arg := range cmd.Args {
			foldNode(arg, f)
		}
	}
}

// stringCall returns the value of cmd if it is {{t "key"}}.
func stringCall(cmd *parse.CommandNode, f Funcs) (string, bool) {
	if len(cmd.Args) != 2 {
		return "", false
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || id.Ident != "t" {
		return "", false
	}
	key, ok := cmd.Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return f.T(key.Text), true
}
