// Package corpus reads raw government work reports (政府工作报告) into clean,
// attributed paragraphs.
//
// Reports arrive as journalists find them: text, Markdown and HTML files in
// UTF-8, GB18030/GBK or UTF-16, scraped from government sites and forums,
// sometimes several in one file, sometimes the same text twice. [Parse] turns
// one file into [Report] values:
//
//   - Decoding: the encoding is detected (byte-order mark, HTML meta charset,
//     UTF-8 validity, UTF-16 by NUL pattern, GB18030 otherwise) and HTML is
//     reduced to its text, one line per block element.
//   - Cleaning: page furniture (navigation, breadcrumbs, forum user panels,
//     share/print controls, editor and source lines, ICP and copyright
//     footers) is dropped by general rules over line shape and vocabulary,
//     never by a list of sites. A line that reads as a sentence of the report
//     is never dropped by a furniture word, and short lines are dropped only
//     in a run that holds unmistakable furniture. Of a forum thread only the
//     post holding the report is kept. Text copied out of a PDF, broken into
//     lines of the page's width, is joined back into paragraphs. See
//     chrome.go and wrap.go.
//   - Splitting: a file is split at report title lines (…政府工作报告); a title
//     with no report text after it is a page or thread title and is dropped, and
//     a part that repeats an earlier one is merged into it.
//   - Paragraphs: one per logical paragraph (a line, or the lines of a
//     hard-wrapped paragraph), verbatim, with its rune offset in the decoded
//     file so a hit can be cited; repeated paragraphs are dropped and
//     counted; every paragraph gets its heading path and a canonical section.
//   - Metadata: title, level, province/city/district (official names from an
//     embedded GB/T 2260 gazetteer, see gazetteer/), year delivered, speaker,
//     office and meeting, read from the text first (title, the date and
//     meeting line, the speaker line, “我代表…人民政府”, dated section headings)
//     and from the file name and its folders only as a fallback; a county
//     name the body keeps repeating is the last resort, with a warning. A name several divisions
//     share (新城区, 城区, 南山区) is settled by the city or province named
//     with it or, failing that, mentioned most in the report. What cannot be
//     known (XX区, a shared name with no context) stays empty with a warning;
//     so does every weaker inference (a year read from the page's
//     publication date). The gazetteer also holds the divisions retired or
//     renamed since 1981: a report naming one (清苑县 in 2005, 崇文区, 渡口市)
//     is grouped under the current division it went to (清苑区, 东城区,
//     攀枝花市), the name as written kept in DistrictAsWritten or
//     CityAsWritten, with a warning; a name in use in the report's year is
//     taken before one retired earlier.
//
// Matching is done on [norm.Fold] of the text, so traditional-character
// reports are read like simplified ones; the text kept in a [Paragraph] is
// always the original.
//
// [Load] walks a directory tree, [Inspect] prints what would be indexed and
// [Bundled] holds the reports shipped with zhengce. A file that cannot be read
// is a [Problem], never a panic; the other files are still read. All
// functions are safe for concurrent use.
package corpus
