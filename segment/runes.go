package segment

import "fmt"

// NormalisedRunes appends the normalised text of paragraph p (package
// norm's String of its original text, as stored in units) to dst and
// returns it. It decodes the code units only, without restoring the
// original text, so it is the cheap way to read a whole segment's text.
func (r *Reader) NormalisedRunes(p int, dst []rune) ([]rune, error) {
	if p < 0 || uint64(p) >= r.m.Paragraphs {
		return dst, fmt.Errorf("segment %s: no paragraph %d", r.path, p)
	}
	b, err := r.paragraphUnits(uint32(p))
	if err != nil {
		return dst, err
	}
	units := u16s(b)
	for i := 0; i < len(units); {
		c, n, ok := r.decodeUnit(units[i:])
		if !ok {
			return dst, r.damaged("normalised text of paragraph %d", p)
		}
		dst = append(dst, c)
		i += n
	}
	return dst, nil
}
