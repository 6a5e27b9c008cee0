package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// A report's metadata is stored in its segment as a record: a version
// byte, then the string fields below in this order, each as a uvarint
// length and its bytes, then the year as a varint, then any number of
// extra key/value string pairs (for fields a later version adds without
// changing the order above).
const recordVersion = 1

var errRecord = errors.New("bad report record")

// recordFields lists the string fields of a record in their stored order.
func recordFields(r *Report) []*string {
	return []*string{&r.ID, &r.Path, &r.Title, &r.Level, &r.Province, &r.City, &r.District,
		&r.Speaker, &r.Office, &r.Meeting, &r.FileHash}
}

func encodeRecord(r *Report) []byte {
	b := []byte{recordVersion}
	for _, f := range recordFields(r) {
		b = binary.AppendUvarint(b, uint64(len(*f)))
		b = append(b, *f...)
	}
	b = binary.AppendVarint(b, int64(r.Year))
	for _, kv := range r.extra() {
		for _, s := range kv {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	return b
}

func decodeRecord(b []byte, r *Report) error {
	if len(b) == 0 || b[0] != recordVersion {
		return fmt.Errorf("%w: version", errRecord)
	}
	b = b[1:]
	str := func() (string, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return "", errRecord
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, nil
	}
	for _, f := range recordFields(r) {
		s, err := str()
		if err != nil {
			return err
		}
		*f = s
	}
	y, k := binary.Varint(b)
	if k <= 0 || y < 0 || y > 1<<16 {
		return fmt.Errorf("%w: year", errRecord)
	}
	r.Year = int(y)
	b = b[k:]
	for len(b) > 0 {
		key, err := str()
		if err != nil {
			return err
		}
		val, err := str()
		if err != nil {
			return err
		}
		r.setExtra(key, val)
	}
	return nil
}

// extra returns the fields stored as key/value pairs.
func (r *Report) extra() [][2]string {
	var out [][2]string
	for _, kv := range [][2]string{
		{"province_written", r.ProvinceAsWritten}, {"city_written", r.CityAsWritten},
		{"district_written", r.DistrictAsWritten}, {"source", r.Source}, {"added", addedString(r.Added)},
	} {
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

func (r *Report) setExtra(key, val string) {
	switch key {
	case "province_written":
		r.ProvinceAsWritten = val
	case "city_written":
		r.CityAsWritten = val
	case "district_written":
		r.DistrictAsWritten = val
	case "source":
		r.Source = val
	case "added":
		r.Added, _ = strconv.Atoi(val)
	}
	// Unknown keys come from a newer writer of the same format version;
	// they are kept out rather than refused.
}

func addedString(g int) string {
	if g <= 0 {
		return ""
	}
	return strconv.Itoa(g)
}
