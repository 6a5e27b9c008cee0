package web

import (
	"strings"
	"testing"
)

func TestSearchPageSmoke(t *testing.T) {
	s, _ := testServer(t)
	rec := get(t, s.Handler(), "/?q=放管服")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "<mark>") {
		t.Errorf("no marks")
	}
	t.Log(rec.Body.String()[:3000])
}
