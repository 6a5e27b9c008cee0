package reportdiff

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// sentenceEnd reports whether r ends a sentence.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';':
		return true
	}
	return false
}

// diffSentences diffs old and new by character and returns each side cut
// into sentences, with the text only that side has marked.
func diffSentences(old, new string) (oldS, newS []Sentence) {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffMainRunes([]rune(old), []rune(new), false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	var oldSpans, newSpans []Span
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			oldSpans = append(oldSpans, Span{Text: d.Text})
			newSpans = append(newSpans, Span{Text: d.Text})
		case diffmatchpatch.DiffDelete:
			oldSpans = append(oldSpans, Span{Text: d.Text, Changed: true})
		case diffmatchpatch.DiffInsert:
			newSpans = append(newSpans, Span{Text: d.Text, Changed: true})
		}
	}
	return cutSentences(oldSpans), cutSentences(newSpans)
}

// cutSentences splits a run of spans at sentence ends. A sentence is
// changed when any of its characters is (white space aside).
func cutSentences(spans []Span) []Sentence {
	var out []Sentence
	var cur Sentence
	add := func(text string, changed bool) {
		if text == "" {
			return
		}
		if n := len(cur.Spans); n > 0 && cur.Spans[n-1].Changed == changed {
			cur.Spans[n-1].Text += text
		} else {
			cur.Spans = append(cur.Spans, Span{Text: text, Changed: changed})
		}
		if changed && strings.TrimSpace(text) != "" {
			cur.Changed = true
		}
	}
	for _, sp := range spans {
		start := 0
		for k, r := range sp.Text {
			if sentenceEnd(r) {
				end := k + len(string(r))
				add(sp.Text[start:end], sp.Changed)
				start = end
				out = append(out, cur)
				cur = Sentence{}
			}
		}
		add(sp.Text[start:], sp.Changed)
	}
	if len(cur.Spans) > 0 {
		out = append(out, cur)
	}
	return out
}
