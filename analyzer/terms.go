package analyzer

import (
	"bufio"
	"bytes"
	"fmt"
	"sync"
)

// policyTermFiles are the dictionaries of policy vocabulary: the curated
// terms and the slogans mined from the bundled reports.
var policyTermFiles = []string{"dict/policy.utf8", "dict/slogans.utf8"}

var policyTerms = sync.OnceValues(func() ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, name := range policyTermFiles {
		b, err := segmenterDictFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("analyzer: reading %s: %w", name, err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := bytes.Fields(sc.Bytes())
			if len(f) == 0 || seen[string(f[0])] {
				continue
			}
			seen[string(f[0])] = true
			out = append(out, string(f[0]))
		}
	}
	return out, nil
})

// PolicyTerms returns the policy vocabulary the analyzer keeps whole: the
// curated terms of dict/policy.utf8 and the slogans of dict/slogans.utf8,
// each once, in file order. The slice is shared: do not modify it. It needs
// no segmenter and is safe for concurrent use.
func PolicyTerms() ([]string, error) { return policyTerms() }
