package cache

import (
	"strings"
	"time"
)

// parseHTTPDate parses an HTTP-date as a recipient must: IMF-fixdate and
// the two obsolete formats (rfc850-date and asctime-date), exactly as
// their grammar spells them, except that "GMT" matches in any case. ok is
// false for anything else: "0", a one-digit hour, doubled spaces, a day of
// the month the month does not have. Go's http.ParseTime is looser (it
// takes a one-digit hour, as time.Parse does) and stricter (only "GMT").
// https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7
func parseHTTPDate(v string) (time.Time, bool) {
	// 1. Surrounding whitespace is not part of the field value.
	v = strings.Trim(v, " \t")
	// 2. The format is told by the character after the day name: "," for
	// IMF-fixdate (short day name) and rfc850-date (long day name), " "
	// for asctime-date.
	comma := strings.IndexByte(v, ',')
	switch {
	case comma == 3:
		return parseIMFFixdate(v)
	case comma > 3:
		return parseRFC850Date(v)
	case comma < 0 && len(v) > 3 && v[3] == ' ':
		return parseAsctimeDate(v)
	}
	return time.Time{}, false
}

var (
	shortDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	longDays  = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months    = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// dateScanner reads the fixed-width fields of a date.
type dateScanner struct {
	s  string
	ok bool
}

// lit consumes exactly lit.
func (d *dateScanner) lit(lit string) {
	if d.ok && strings.HasPrefix(d.s, lit) {
		d.s = d.s[len(lit):]
		return
	}
	d.ok = false
}

// gmt consumes "GMT" in any case.
func (d *dateScanner) gmt() {
	if d.ok && len(d.s) >= 3 && strings.EqualFold(d.s[:3], "GMT") {
		d.s = d.s[3:]
		return
	}
	d.ok = false
}

// digits consumes exactly n digits.
func (d *dateScanner) digits(n int) int {
	if !d.ok || len(d.s) < n {
		d.ok = false
		return 0
	}
	v := 0
	for i := 0; i < n; i++ {
		c := d.s[i]
		if c < '0' || c > '9' {
			d.ok = false
			return 0
		}
		v = v*10 + int(c-'0')
	}
	d.s = d.s[n:]
	return v
}

// oneOf consumes one of names (case-sensitive) and returns its index.
func (d *dateScanner) oneOf(names []string) int {
	if d.ok {
		for i, n := range names {
			if strings.HasPrefix(d.s, n) {
				d.s = d.s[len(n):]
				return i
			}
		}
	}
	d.ok = false
	return 0
}

// timeOfDay consumes hour ":" minute ":" second, two digits each.
func (d *dateScanner) timeOfDay() (h, m, s int) {
	h = d.digits(2)
	d.lit(":")
	m = d.digits(2)
	d.lit(":")
	s = d.digits(2)
	return h, m, s
}

// build checks the ranges and the end of input and makes the time.
func (d *dateScanner) build(year, month, day, h, m, s int) (time.Time, bool) {
	if !d.ok || d.s != "" || month < 0 || day < 1 || h > 23 || m > 59 || s > 60 {
		return time.Time{}, false
	}
	// The day must exist in that month (time.Date would roll over).
	if last := time.Date(year, time.Month(month+2), 0, 0, 0, 0, 0, time.UTC).Day(); day > last {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month+1), day, h, m, s, 0, time.UTC), true
}

// parseIMFFixdate parses "Sun, 06 Nov 1994 08:49:37 GMT".
func parseIMFFixdate(v string) (time.Time, bool) {
	d := dateScanner{s: v, ok: true}
	d.oneOf(shortDays)
	d.lit(", ")
	day := d.digits(2)
	d.lit(" ")
	month := d.oneOf(months)
	d.lit(" ")
	year := d.digits(4)
	d.lit(" ")
	h, m, s := d.timeOfDay()
	d.lit(" ")
	d.gmt()
	return d.build(year, month, day, h, m, s)
}

// parseRFC850Date parses "Sunday, 06-Nov-94 08:49:37 GMT". A two-digit
// year that would be more than 50 years in the future is taken to be in
// the past century (RFC 9110 §5.6.7).
func parseRFC850Date(v string) (time.Time, bool) {
	d := dateScanner{s: v, ok: true}
	d.oneOf(longDays)
	d.lit(", ")
	day := d.digits(2)
	d.lit("-")
	month := d.oneOf(months)
	d.lit("-")
	yy := d.digits(2)
	d.lit(" ")
	h, m, s := d.timeOfDay()
	d.lit(" ")
	d.gmt()
	now := time.Now().UTC().Year()
	year := now - now%100 + yy
	if year > now+50 {
		year -= 100
	}
	return d.build(year, month, day, h, m, s)
}

// parseAsctimeDate parses "Sun Nov  6 08:49:37 1994" (a one-digit day
// after a space, or two digits).
func parseAsctimeDate(v string) (time.Time, bool) {
	d := dateScanner{s: v, ok: true}
	d.oneOf(shortDays)
	d.lit(" ")
	month := d.oneOf(months)
	d.lit(" ")
	var day int
	if strings.HasPrefix(d.s, " ") {
		d.s = d.s[1:]
		day = d.digits(1)
	} else {
		day = d.digits(2)
	}
	d.lit(" ")
	h, m, s := d.timeOfDay()
	d.lit(" ")
	year := d.digits(4)
	return d.build(year, month, day, h, m, s)
}
