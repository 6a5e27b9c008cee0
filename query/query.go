package query

import (
	"strconv"
	"strings"
	"unicode"
)

// Query is a parsed query: an expression over phrases, and filters on report
// metadata that every hit must pass.
type Query struct {
	// Expr is nil when the query has only filters. It contains something
	// to match (a phrase outside any Not) unless Filters is non-empty: then
	// it may be only exclusions, as in `district:南山区 -疫情`.
	Expr    Node
	Filters Filters
}

// Filters narrow the hits by report metadata. Several values of one field
// are ORed; fields are ANDed. Values are folded with norm.Fold (simplified
// script, NFKC, lower case) and trimmed, the form the index stores.
type Filters struct {
	Province, City, District, Section []string
	// YearFrom and YearTo bound the report year, both inclusive; 0 leaves
	// that end open.
	YearFrom, YearTo int
}

// Empty reports whether f filters nothing.
func (f Filters) Empty() bool {
	return len(f.Province) == 0 && len(f.City) == 0 && len(f.District) == 0 &&
		len(f.Section) == 0 && f.YearFrom == 0 && f.YearTo == 0
}

// Node is one node of a query expression: *Phrase, *And, *Or or *Not.
// String returns the node in query syntax, with phrases in normalised form.
type Node interface {
	String() string
	isNode()
}

// Phrase matches paragraphs whose normalised text contains Norm.
type Phrase struct {
	Text string // as typed, with the quoting removed
	Norm string // norm.String(Text); never empty, has at least one word character
}

// And matches paragraphs that match every child. It has at least two
// children, none of them an *And.
type And struct{ Children []Node }

// Or matches paragraphs that match any child. It has at least two children,
// none of them an *Or or a *Not.
type Or struct{ Children []Node }

// Not matches paragraphs that do not match Child. It appears only as a child
// of an *And or as a whole expression, never under an *Or.
type Not struct{ Child Node }

func (*Phrase) isNode() {}
func (*And) isNode()    {}
func (*Or) isNode()     {}
func (*Not) isNode()    {}

func (p *Phrase) String() string { return `"` + p.Norm + `"` }

func (a *And) String() string {
	parts := make([]string, len(a.Children))
	for i, c := range a.Children {
		parts[i] = group(c, false)
	}
	return strings.Join(parts, " ")
}

func (o *Or) String() string {
	parts := make([]string, len(o.Children))
	for i, c := range o.Children {
		parts[i] = group(c, true)
	}
	return strings.Join(parts, " OR ")
}

func (n *Not) String() string { return "-" + group(n.Child, true) }

// group writes n, in parentheses when it is an *And (if andToo) or an *Or.
// An *Or under an *And would parse the same way without them (OR binds
// tighter), but the parentheses make the grouping plain to read.
func group(n Node, andToo bool) string {
	switch n.(type) {
	case *Or:
		return "(" + n.String() + ")"
	case *And:
		if andToo {
			return "(" + n.String() + ")"
		}
	}
	return n.String()
}

// String returns q in query syntax: the expression with phrases in normalised
// form, then the filters. Parsing it gives an equal query.
func (q *Query) String() string {
	var parts []string
	if q.Expr != nil {
		parts = append(parts, q.Expr.String())
	}
	for _, f := range []struct {
		name   string
		values []string
	}{
		{"province", q.Filters.Province},
		{"city", q.Filters.City},
		{"district", q.Filters.District},
		{"section", q.Filters.Section},
	} {
		for _, v := range f.values {
			parts = append(parts, f.name+":"+quoteValue(v))
		}
	}
	if y := formatYears(q.Filters.YearFrom, q.Filters.YearTo); y != "" {
		parts = append(parts, "year:"+y)
	}
	return strings.Join(parts, " ")
}

// quoteValue quotes a filter value that would not read back as one word.
func quoteValue(v string) string {
	if strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`()“”`, r)
	}) {
		return `"` + v + `"`
	}
	return v
}

func formatYears(from, to int) string {
	switch {
	case from == 0 && to == 0:
		return ""
	case from == to:
		return strconv.Itoa(from)
	case to == 0:
		return strconv.Itoa(from) + ".."
	case from == 0:
		return ".." + strconv.Itoa(to)
	}
	return strconv.Itoa(from) + ".." + strconv.Itoa(to)
}

// Phrases returns the normalised text of every phrase that a hit may
// contain, that is every phrase not under a Not, in query order and without
// repeats. Highlighting marks these.
func (q *Query) Phrases() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case *Phrase:
			if !seen[n.Norm] {
				seen[n.Norm] = true
				out = append(out, n.Norm)
			}
		case *And:
			for _, c := range n.Children {
				walk(c)
			}
		case *Or:
			for _, c := range n.Children {
				walk(c)
			}
		}
	}
	if q.Expr != nil {
		walk(q.Expr)
	}
	return out
}

// positive reports whether n can match a paragraph on its own, that is
// whether it is more than exclusions.
func positive(n Node) bool {
	switch n := n.(type) {
	case *Phrase:
		return true
	case *And:
		for _, c := range n.Children {
			if positive(c) {
				return true
			}
		}
		return false
	case *Or:
		for _, c := range n.Children {
			if !positive(c) {
				return false
			}
		}
		return true
	}
	return false
}
