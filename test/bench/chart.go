package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// chart draws the results as grouped bars on a logarithmic time axis, one group per number of
// checks: assert's own time, one remote command per check, and goss if it was measured.
func chart(rows []row, withGoss, withOthers bool, machine string) string {
	type series struct {
		name  string
		color string
		value func(row) time.Duration
	}
	all := []series{
		{"assert", "#2b7a3d", row.Provisioner},
		{"a command per check", "#b8452f", func(r row) time.Duration { return r.PerCheck }},
	}
	if withGoss {
		all = append(all, series{"goss (copied in)", "#3d5fa8", func(r row) time.Duration { return r.Goss }})
	}
	if withOthers {
		all = append(all,
			series{"Serverspec", "#8a5a9e", func(r row) time.Duration { return r.Serverspec }},
			series{"Testinfra", "#c79a2b", func(r row) time.Duration { return r.Testinfra }})
	}
	const (
		width, height       = 760, 420
		left, right         = 70, 20
		top, bottom         = 50, 90
		minMS, maxMS        = 10.0, 100000.0
		groupGap, barGap    = 30.0, 4.0
		plotW, plotH        = width - left - right, height - top - bottom
		decades             = 4 // 10 ms to 100 s
		titleText           = "Time for the same checks (lower is better, logarithmic)"
		fontFamily          = "font-family=\"sans-serif\""
		gridColor, axisText = "#dddddd", "#444444"
	)
	y := func(d time.Duration) float64 {
		msVal := math.Max(float64(d)/float64(time.Millisecond), minMS)
		return top + plotH - plotH*math.Log10(msVal/minMS)/decades
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s font-size="12">`+"\n", width, height, width, height, fontFamily)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", left, titleText)
	for i, label := range []string{"10 ms", "100 ms", "1 s", "10 s", "100 s"} {
		yy := top + plotH - float64(plotH)*float64(i)/decades
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>`+"\n", left, width-right, yy, yy, gridColor)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="%s">%s</text>`+"\n", left-6, yy+4, axisText, label)
	}
	groupW := (float64(plotW) - groupGap*float64(len(rows)+1)) / float64(len(rows))
	barW := (groupW - barGap*float64(len(all)-1)) / float64(len(all))
	for g, r := range rows {
		x0 := float64(left) + groupGap + float64(g)*(groupW+groupGap)
		for s, se := range all {
			v := se.value(r)
			if v == 0 {
				continue // not measured at this size
			}
			x := x0 + float64(s)*(barW+barGap)
			yy := y(v)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, yy, barW, float64(top+plotH)-yy, se.color)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%s</text>`+"\n", x+barW/2, yy-3, short(v))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%d checks</text>`+"\n", x0+groupW/2, top+plotH+18, r.N)
	}
	lx := left
	for _, se := range all {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", lx, height-60, se.color, lx+16, height-50, se.name)
		lx += 16 + 7*len(se.name) + 18 // about 7 px a character at 12 px
	}
	for i, part := range strings.SplitN(machine, "; ", 2) {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="%s">%s</text>`+"\n", left, height-26+i*13, axisText, escape(part))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func short(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return ms(d) // the same rounding as the table
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
