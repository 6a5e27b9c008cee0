package query

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// MaxLen is the longest query accepted, in characters.
const MaxLen = 1000

// MinYear and MaxYear bound the years a query may name.
const (
	MinYear = 1949
	MaxYear = 2100
)

// Error is a query the parser rejects: what is wrong and where.
type Error struct {
	// Pos is the offset of the offending character in the query, counted in
	// characters (Unicode code points) from 0. Error reports it counted
	// from 1, as people count.
	Pos int
	Msg string
}

func (e *Error) Error() string {
	if e == ErrEmpty {
		return "query: " + e.Msg
	}
	return fmt.Sprintf("query: %s at character %d", e.Msg, e.Pos+1)
}

// ErrEmpty is returned by Parse for a query with nothing but white space, so
// callers can show an empty state rather than an error. Test for it with
// errors.Is.
var ErrEmpty = &Error{Msg: "empty query"}

func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// fields are the filter names, in the order error messages list them.
var fields = []string{"province", "city", "district", "year", "section"}

// Parse parses a query in the syntax described in the package comment. Every
// error it returns is an *Error.
func Parse(s string) (*Query, error) {
	if err := CheckUTF8(s); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(s); n > MaxLen {
		return nil, errorf(MaxLen, "query is %d characters long, more than the %d allowed", n, MaxLen)
	}
	if strings.TrimFunc(s, unicode.IsSpace) == "" {
		return nil, ErrEmpty
	}
	toks, err := lex([]rune(s))
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	nodes, positions, err := p.sequence(false)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t != nil { // lex balances parentheses, so this is a bug
		return nil, errorf(t.pos, "unexpected %s", t)
	}
	q := &Query{Filters: p.filters}
	if len(nodes) > 0 {
		q.Expr = and(nodes)
		if !positive(q.Expr) && q.Filters.Empty() {
			return nil, errorf(positions[0], "nothing to match: the query only excludes; add a phrase or a filter")
		}
	}
	return q, nil
}

// CheckUTF8 returns an *Error at the first byte of s that is not UTF-8, or
// nil. Such a byte would otherwise be read as U+FFFD, which normalises to a
// separator and so matches any punctuation: 放 followed by a stray byte
// would find every 放 before a comma. Parse calls it; callers that take
// text from bytes (URL parameters, command-line arguments) can call it to
// name the parameter themselves.
func CheckUTF8(s string) error {
	pos := 0
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return errorf(pos, "invalid UTF-8 (byte %#02x): the query must be UTF-8 text", s[i])
			}
		}
		pos++
	}
	return nil
}

// ParseYear parses a year or a range of years as written after `year:`:
// 2019, 2018..2021, 2018.. or ..2021 (full-width digits and a trailing 年
// are accepted). An open end is returned as 0. Its errors name the input and
// what was wanted, with no position, as suits a flag or a URL parameter.
func ParseYear(s string) (from, to int, err error) {
	from, to, msg := parseYear(s)
	if msg != "" {
		return 0, 0, errors.New("query: " + msg)
	}
	return from, to, nil
}

// parseYear is ParseYear with the error as a bare message, for Parse to
// place in the query.
func parseYear(s string) (from, to int, msg string) {
	v := strings.TrimSpace(norm.Fold(s))
	bad := fmt.Sprintf("bad year %q (want 2019, 2018..2021, 2018.. or ..2021)", s)
	lo, hi, isRange := strings.Cut(v, "..")
	if !isRange {
		hi = lo
	}
	if lo == "" && hi == "" {
		return 0, 0, bad
	}
	for _, end := range []struct {
		text string
		n    *int
	}{{lo, &from}, {hi, &to}} {
		if end.text == "" {
			continue
		}
		digits := strings.TrimSuffix(end.text, "年")
		if digits == "" || strings.ContainsFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) {
			return 0, 0, bad
		}
		n, err := strconv.Atoi(digits)
		if err != nil || n < MinYear || n > MaxYear {
			return 0, 0, fmt.Sprintf("year %s out of range %d..%d", digits, MinYear, MaxYear)
		}
		*end.n = n
	}
	if from != 0 && to != 0 && from > to {
		return 0, 0, fmt.Sprintf("year range %d..%d is reversed (want %d..%d)", from, to, to, from)
	}
	return from, to, ""
}

type tokKind int

const (
	tokWord   tokKind = iota // a phrase
	tokField                 // field:value
	tokOr                    // OR
	tokMinus                 // - before a phrase or group
	tokLParen                // ( opening a group
	tokRParen                // ) closing a group
)

type token struct {
	kind tokKind
	pos  int    // offset of the first character, in characters
	raw  string // as typed
	text string // tokWord: the phrase; tokField: the value; quoting removed
	// quoted is set when part of text was quoted, so "OR" is a phrase.
	quoted   bool
	field    string // tokField: the field name, lower case
	valuePos int    // tokField: offset of the value
}

// String returns the token as typed, quoted and cut short for messages.
func (t *token) String() string {
	switch t.kind {
	case tokLParen, tokRParen, tokMinus, tokOr:
		return t.raw
	}
	const maxShown = 20
	if r := []rune(t.raw); len(r) > maxShown {
		return strconv.Quote(string(r[:maxShown]) + "…")
	}
	return strconv.Quote(t.raw)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// lexer splits a query into tokens. It tracks the open group parentheses
// because whether ) ends a word depends on them.
type lexer struct {
	in   []rune
	i    int
	open []int // offsets of the ( of the groups still open
	toks []token
}

func lex(in []rune) ([]token, error) {
	l := &lexer{in: in}
	for {
		for l.i < len(in) && isSpace(in[l.i]) {
			l.i++
		}
		if l.i == len(in) {
			break
		}
		start := l.i
		switch c := in[l.i]; {
		case c == '(':
			l.open = append(l.open, start)
			l.i++
			l.emit(token{kind: tokLParen, pos: start})
		case c == ')':
			if len(l.open) == 0 {
				return nil, errorf(start, "unbalanced parenthesis: ) without (")
			}
			l.open = l.open[:len(l.open)-1]
			l.i++
			l.emit(token{kind: tokRParen, pos: start})
		case c == '-':
			if start+1 == len(in) || isSpace(in[start+1]) {
				return nil, errorf(start, "nothing after -: write -phrase to exclude a phrase")
			}
			l.i++
			l.emit(token{kind: tokMinus, pos: start})
		default:
			if err := l.wordOrField(); err != nil {
				return nil, err
			}
		}
	}
	if len(l.open) > 0 {
		return nil, errorf(l.open[len(l.open)-1], "unbalanced parenthesis: ( without )")
	}
	return l.toks, nil
}

func (l *lexer) emit(t token) {
	t.raw = string(l.in[t.pos:l.i])
	l.toks = append(l.toks, t)
}

// wordOrField lexes `field:value` or a word.
func (l *lexer) wordOrField() error {
	start := l.i
	j := start
	for j < len(l.in) && isASCIILetter(l.in[j]) {
		j++
	}
	if j > start && j < len(l.in) && (l.in[j] == ':' || l.in[j] == '：') {
		name := string(l.in[start:j])
		field := strings.ToLower(name)
		switch {
		case slices.Contains(fields, field):
			l.i = j + 1
			if l.i < len(l.in) && l.in[l.i] == '(' {
				return errorf(l.i, "a filter value cannot be a group: repeat the filter, as in %s:a %s:b", field, field)
			}
			value, quoted, err := l.word()
			if err != nil {
				return err
			}
			l.emit(token{kind: tokField, pos: start, text: value, quoted: quoted, field: field, valuePos: j + 1})
			return nil
		case l.in[j] == ':':
			return errorf(start, "unknown field %q (want %s); quote text that contains a colon", name, strings.Join(fields, ", "))
		}
		// An unknown name before a full-width colon is Chinese-style text,
		// as in 目标：增长.
	}
	text, quoted, err := l.word()
	if err != nil {
		return err
	}
	kind := tokWord
	if !quoted {
		switch text {
		case "OR":
			kind = tokOr
		case "AND":
			return errorf(start, `AND is not needed: terms separated by spaces must all match (quote "AND" to search for it)`)
		case "NOT":
			return errorf(start, `NOT is written -: -phrase excludes a phrase (quote "NOT" to search for it)`)
		}
	}
	l.emit(token{kind: kind, pos: start, text: text, quoted: quoted})
	return nil
}

// word lexes characters up to white space, or up to a ) that closes a
// group. Quoted parts ("…", or “…” when the ” exists) join the word with
// their quotes removed. Inside a word, ( and the ) that matches it are
// plain characters, so pasted text such as 营商环境(2019) stays one word.
func (l *lexer) word() (text string, quoted bool, err error) {
	var b strings.Builder
	inner := 0 // plain ( in this word not yet matched by a )
	for l.i < len(l.in) {
		c := l.in[l.i]
		switch {
		case isSpace(c):
			return b.String(), quoted, nil
		case c == '"' || c == '“':
			closer := '"'
			if c == '“' {
				closer = '”'
			}
			end := slices.Index(l.in[l.i+1:], closer)
			if end < 0 {
				if c == '"' {
					return "", false, errorf(l.i, `unbalanced quote: " without a closing "`)
				}
				// A lone “ is text cut out of a quotation; the normalised
				// text has no quotation marks, so it changes nothing.
				b.WriteRune(c)
				l.i++
				continue
			}
			b.WriteString(string(l.in[l.i+1 : l.i+1+end]))
			l.i += end + 2
			quoted = true
		case c == '(':
			inner++
			b.WriteRune(c)
			l.i++
		case c == ')':
			if inner == 0 {
				if len(l.open) == 0 {
					return "", false, errorf(l.i, "unbalanced parenthesis: ) without (")
				}
				return b.String(), quoted, nil
			}
			inner--
			b.WriteRune(c)
			l.i++
		default:
			b.WriteRune(c)
			l.i++
		}
	}
	return b.String(), quoted, nil
}

// parser builds the expression from tokens and collects the filters.
// Precedence, loosest first: juxtaposition (AND), OR, -.
type parser struct {
	toks     []token
	i        int
	filters  Filters
	yearSeen bool
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *parser) next() *token {
	t := p.peek()
	if t != nil {
		p.i++
	}
	return t
}

// sequence parses operands side by side, up to the end or a ), with the
// offset of each. Filters are allowed only at the top level (inGroup false).
func (p *parser) sequence(inGroup bool) ([]Node, []int, error) {
	var nodes []Node
	var positions []int
	for t := p.peek(); t != nil && t.kind != tokRParen; t = p.peek() {
		if t.kind == tokField {
			if inGroup {
				return nil, nil, errorf(t.pos, "filter %s inside parentheses: write filters outside them", t)
			}
			p.next()
			if err := p.addFilter(t); err != nil {
				return nil, nil, err
			}
			if o := p.peek(); o != nil && o.kind == tokOr {
				return nil, nil, filterInOr(t)
			}
			continue
		}
		n, err := p.or()
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, n)
		positions = append(positions, t.pos)
	}
	return nodes, positions, nil
}

func filterInOr(t *token) *Error {
	return errorf(t.pos, "filter %s cannot be part of OR; several filters on one field already match any of them, as in %s:a %s:b", t, t.field, t.field)
}

// or parses operands joined by OR.
func (p *parser) or() (Node, error) {
	first := p.peek()
	if first.kind == tokOr {
		return nil, errorf(first.pos, "OR needs something to match on its left")
	}
	n, err := p.unary()
	if err != nil {
		return nil, err
	}
	children := []Node{n}
	for o := p.peek(); o != nil && o.kind == tokOr; o = p.peek() {
		if first.kind == tokMinus {
			return nil, errorf(first.pos, "an exclusion cannot be part of OR")
		}
		p.next()
		t := p.peek()
		switch {
		case t == nil || t.kind == tokOr || t.kind == tokRParen:
			return nil, errorf(o.pos, "OR needs something to match on its right")
		case t.kind == tokField:
			return nil, filterInOr(t)
		case t.kind == tokMinus:
			return nil, errorf(t.pos, "an exclusion cannot be part of OR")
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		children = append(children, n)
	}
	if len(children) == 1 {
		return n, nil
	}
	var flat []Node
	for _, c := range children {
		if o, ok := c.(*Or); ok {
			flat = append(flat, o.Children...)
		} else {
			flat = append(flat, c)
		}
	}
	return &Or{Children: flat}, nil
}

// unary parses a phrase, a group, or - before either.
func (p *parser) unary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tokWord:
		return phrase(t)
	case tokLParen:
		nodes, _, err := p.sequence(true)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c == nil || c.kind != tokRParen { // lex balances them
			return nil, errorf(t.pos, "unbalanced parenthesis: ( without )")
		}
		if len(nodes) == 0 {
			return nil, errorf(t.pos, "empty parentheses")
		}
		g := and(nodes)
		if !positive(g) {
			return nil, errorf(t.pos, "nothing to match inside parentheses: they hold only exclusions")
		}
		return g, nil
	case tokMinus:
		switch c := p.peek(); {
		case c != nil && (c.kind == tokWord || c.kind == tokLParen):
			child, err := p.unary()
			if err != nil {
				return nil, err
			}
			return &Not{Child: child}, nil
		case c != nil && c.kind == tokField:
			return nil, errorf(t.pos, "a filter cannot be excluded")
		}
		return nil, errorf(t.pos, "- must be followed by a phrase or a (group)")
	case tokOr:
		return nil, errorf(t.pos, "OR needs something to match on its left")
	case tokField:
		return nil, filterInOr(t)
	}
	return nil, errorf(t.pos, "unexpected %s", t)
}

func phrase(t *token) (Node, error) {
	if t.text == "" {
		return nil, errorf(t.pos, "empty phrase %s", t)
	}
	if !norm.HasWordChars(t.text) {
		return nil, errorf(t.pos, "nothing to search for in %s: it has only punctuation", t)
	}
	return &Phrase{Text: t.text, Norm: norm.String(t.text)}, nil
}

// and joins nodes, flattening nested Ands.
func and(nodes []Node) Node {
	if len(nodes) == 1 {
		return nodes[0]
	}
	var flat []Node
	for _, n := range nodes {
		if a, ok := n.(*And); ok {
			flat = append(flat, a.Children...)
		} else {
			flat = append(flat, n)
		}
	}
	return &And{Children: flat}
}

func (p *parser) addFilter(t *token) error {
	if t.field == "year" {
		if p.yearSeen {
			return errorf(t.pos, "year given twice: give one range, as in year:2018..2021")
		}
		p.yearSeen = true
		from, to, msg := parseYear(t.text)
		if msg != "" {
			return &Error{Pos: t.valuePos, Msg: msg}
		}
		p.filters.YearFrom, p.filters.YearTo = from, to
		return nil
	}
	v := strings.TrimSpace(norm.Fold(t.text))
	if !norm.HasWordChars(v) {
		return errorf(t.valuePos, "no value after %s:", t.field)
	}
	var list *[]string
	switch t.field {
	case "province":
		list = &p.filters.Province
	case "city":
		list = &p.filters.City
	case "district":
		list = &p.filters.District
	case "section":
		list = &p.filters.Section
	default:
		return errorf(t.pos, "unknown field %q", t.field) // lex admits only known fields
	}
	if !slices.Contains(*list, v) {
		*list = append(*list, v)
	}
	return nil
}
