package analyzer

import "testing"

func TestPolicyTerms(t *testing.T) {
	terms, err := PolicyTerms()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, w := range terms {
		if seen[w] {
			t.Errorf("PolicyTerms: %q twice", w)
		}
		seen[w] = true
	}
	for _, w := range []string{"放管服", "一网通办"} {
		if !seen[w] {
			t.Errorf("PolicyTerms lacks %q", w)
		}
	}
	if len(terms) < 1000 {
		t.Errorf("PolicyTerms: %d terms, want the curated terms and the mined slogans (over 1000)", len(terms))
	}
}
