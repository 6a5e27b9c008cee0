package termtext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"放管服改革", "放管服改革"},
		{`C:\reports\2023.txt`, `C:\reports\2023.txt`},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"\x1b[31m红\x1b[0m", `\x1b[31m红\x1b[0m`},
		{"\x1b]0;title\x07", `\x1b]0;title\x07`},
		{"\x00\x7f", `\x00\x7f`},
		{"\u009b31m", `\u009b31m`}, // C1 CSI
		{"abc\u202egnp.exe", `abc\u202egnp.exe`},
		{"a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"\u200e\u200f\u061c\u2066\u2069", `\u200e\u200f\u061c\u2066\u2069`},
		{"2023\xc4\xcf.txt", `2023\xc4\xcf.txt`}, // 南 in GBK
		{"\xe5\x8d", `\xe5\x8d`},
		{"\ufffd", "\ufffd"}, // a real U+FFFD is printable
		{"全角　空格", "全角　空格"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzEscape: whatever goes in, what comes out is valid UTF-8 with nothing
// a terminal acts on, and text needing no escape is unchanged.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "放管服", "a\nb", "\x1b[2J", "\xff\xfe", "\u009b", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q) = %q, not UTF-8", s, got)
		}
		for _, r := range got {
			if unsafe(r) {
				t.Fatalf("Escape(%q) = %q, which holds %U", s, got, r)
			}
		}
		if !needsEscape(s) && got != s {
			t.Fatalf("Escape(%q) = %q, want it unchanged", s, got)
		}
	})
}

func TestJSON(t *testing.T) {
	v := map[string]string{"text": "a\x1b[31mb\u009bc\u202ed\u2028e\x7f\n放"}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got := JSON(b)
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["text"] != v["text"] {
		t.Fatalf("JSON(%s) = %s, which reads back as %q, %v", b, got, back, err)
	}
	for _, r := range string(got) {
		if unsafe(r) && r != '\n' {
			t.Errorf("JSON(%s) = %s holds %U raw", b, got, r)
		}
	}
	if plain := []byte(`{"a": "放管服"}`); !bytes.Equal(JSON(plain), plain) {
		t.Errorf("JSON changed %s", plain)
	}
}

func TestWriter(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	// A character split over two writes, lines split anywhere.
	in := "PATH\x1b[31m  放管服\n第二行\ta"
	b := []byte(in)
	for _, chunk := range [][]byte{b[:9], b[9:13], b[13:16], b[16:]} {
		if n, err := w.Write(chunk); n != len(chunk) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "PATH\\x1b[31m  放管服\n第二行\\ta"; out.String() != want {
		t.Errorf("Writer wrote %q, want %q", out.String(), want)
	}

	out.Reset()
	jw := NewJSONWriter(&out)
	jw.Write([]byte("{\"path\":\"a\u202eb\"}\n{\"path\":\"c\"}\n"))
	jw.Flush()
	if want := "{\"path\":\"a\\u202eb\"}\n{\"path\":\"c\"}\n"; out.String() != want {
		t.Errorf("JSON Writer wrote %q, want %q", out.String(), want)
	}
	if strings.Contains(out.String(), "\u202e") {
		t.Errorf("bidi override written raw")
	}
}
