package saved

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
)

// FeedLinks are the URLs a feed names, absolute.
type FeedLinks struct {
	Self      string                   // the feed itself
	Alternate string                   // the saved search's page
	Paragraph func(h index.Hit) string // a matching paragraph in its report
}

// feedSummaryRunes bounds the text of an entry.
const feedSummaryRunes = 400

// Atom writes the Atom 1.0 feed (RFC 4287) of a saved search: one entry per
// matching paragraph of reports, linking to the paragraph, dated when its
// report was first seen matching. Entry ids are tag URIs (RFC 4151) made of
// the saved search's name and creation date and the paragraph id, so they
// do not change with the host name the feed is read through, nor with a
// rebuild of the index; they differ between saved searches.
func Atom(srch *Search, reports []Report, links FeedLinks, now time.Time) ([]byte, error) {
	f := atomFeed{
		NS:      "http://www.w3.org/2005/Atom",
		ID:      tagURI(srch, ""),
		Title:   atomText{Type: "text", Text: "政策检索 · 已保存的检索：" + srch.Name},
		Updated: atomTime(srch.Created),
		Author:  &atomPerson{Name: "zhengce"},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: links.Self},
			{Rel: "alternate", Type: "text/html", Href: links.Alternate},
		},
		Generator: "zhengce",
		Subtitle:  atomText{Type: "text", Text: describe(srch)},
	}
	latest := srch.Created
	for _, r := range reports {
		when := r.Since
		if when.IsZero() {
			when = now
		}
		if when.After(latest) {
			latest = when
		}
		for _, h := range r.Paragraphs {
			title := r.Title
			if title == "" {
				title = r.Path
			}
			f.Entries = append(f.Entries, atomEntry{
				ID:      tagURI(srch, h.ID),
				Title:   atomText{Type: "text", Text: fmt.Sprintf("%s 第 %d 段", title, h.Paragraph)},
				Updated: atomTime(when),
				Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: links.Paragraph(h)}},
				Summary: &atomText{Type: "text", Text: clip(h.Text, feedSummaryRunes)},
			})
		}
	}
	f.Updated = atomTime(latest)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("saved: writing the feed of %q: %w", srch.Name, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// tagURI is the tag URI of a saved search (para "") or of one of its
// paragraphs. The name is letters, digits, - and _ (CheckName), which a tag
// URI's specific part may hold as they are (as an IRI).
func tagURI(srch *Search, para string) string {
	u := "tag:zhengce," + srch.Created.UTC().Format("2006-01-02") + ":saved/" + srch.Name
	if para != "" {
		u += "/" + para
	}
	return u
}

// describe says in words what a saved search looks for.
func describe(srch *Search) string {
	s := "查询：" + srch.Query
	for _, f := range []struct {
		label string
		vs    []string
	}{{"省份", srch.Province}, {"城市", srch.City}, {"区县", srch.District}, {"部分", srch.Section}} {
		if len(f.vs) > 0 {
			s += " · " + f.label + "：" + strings.Join(f.vs, "、")
		}
	}
	switch {
	case srch.YearFrom != 0 && srch.YearFrom == srch.YearTo:
		s += fmt.Sprintf(" · 年份：%d", srch.YearFrom)
	case srch.YearFrom != 0 || srch.YearTo != 0:
		s += fmt.Sprintf(" · 年份：%d–%d", srch.YearFrom, srch.YearTo)
	}
	return s
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  atomText    `xml:"subtitle"`
	Updated   string      `xml:"updated"`
	Author    *atomPerson `xml:"author"`
	Links     []atomLink  `xml:"link"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   atomText   `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary *atomText  `xml:"summary"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}
