package segment

import (
	"context"
	"testing"
)

// The hot paths of a query, on the segment of the bundled reports
// (11,689 paragraphs): intersecting pair postings, verifying candidates
// against the normalised text, and both together.

var benchPhrases = []string{"高质量发展", "营商环境", "放管服改革", "双随机|一公开", "供给侧结构性改革"}

func BenchmarkCandidates(b *testing.B) {
	r, _, _ := bundledSegment(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range benchPhrases {
			if _, err := r.Candidates([]rune(p), nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	r, _, _ := bundledSegment(b)
	type job struct {
		units []byte
		ps    []uint32
	}
	var jobs []job
	n := 0
	for _, p := range benchPhrases {
		cand, err := r.Candidates([]rune(p), nil)
		if err != nil {
			b.Fatal(err)
		}
		u, _ := r.encode([]rune(p))
		jobs = append(jobs, job{u, cand.ToArray()})
		n += int(cand.GetCardinality())
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, j := range jobs {
			if _, err := r.verifyArray(ctx, j.ps, j.units); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n), "candidates/op")
}

func BenchmarkPhrase(b *testing.B) {
	r, _, _ := bundledSegment(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range append(benchPhrases, "的", "发展") {
			if _, err := r.Phrase(ctx, []rune(p), nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkWrite measures writing a segment of the bundled reports' text
// (postings, units, compressed text), in MB of original text per second.
func BenchmarkWrite(b *testing.B) {
	_, texts, _ := bundledSegment(b)
	var size int64
	for _, s := range texts {
		size += int64(len(s))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, err := Create(b.TempDir() + "/bench.seg")
		if err != nil {
			b.Fatal(err)
		}
		for k := 0; k < len(texts); k += 100 {
			var ps []Paragraph
			for _, t := range texts[k:min(k+100, len(texts))] {
				ps = append(ps, Paragraph{Text: t})
			}
			if err := w.AddReport(nil, ps); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}
