// Package query parses the zhengce query language into a [Query]: an
// expression over exact phrases, and filters on report metadata. It knows
// nothing of the index; package index turns a Query into a search.
//
// # Phrases
//
// Every term is an exact phrase, quoted or not, because Chinese readers do
// not type quotes: 放管服 finds every paragraph whose normalised text (see
// package norm) contains 放管服, including “放管服”改革 and 放管服 in a
// traditional-character report. Terms separated by white space (including the
// full-width space) must all match:
//
//	放管服 营商环境          both phrases, anywhere in the paragraph
//	"放管服 改革"            one phrase holding a space; the normalised text has
//	                        no white space, so it equals 放管服改革
//	“放管服 改革”            the same: a pair of Chinese quotes quotes too
//
// Quoted parts join the word around them: 推进"放管服"改革 is the phrase
// 推进放管服改革. A Chinese “ quotes only when a ” follows it somewhere in the
// query; a lone “ or ” (text cut from a quotation) is an ordinary character,
// which normalisation deletes, so pasting half a quotation is never an error.
// An ASCII " must be closed. Inside quotes, OR, -, ( ) and field: are
// ordinary text.
//
// A phrase keeps its punctuation as separators: 双随机、一公开 matches
// 双随机，一公开 but 发展改革 does not match 发展，改革. A phrase that has
// nothing but punctuation (，or 《》) is an error.
//
// # Exclusion, OR and grouping
//
//	放管服 -疫情               paragraphs with 放管服 and without 疫情
//	放管服 -"疫情 防控"         exclude a phrase
//	放管服 OR 营商环境          either phrase
//	深圳 放管服 OR 营商环境      深圳 AND (放管服 OR 营商环境)
//	(放管服 改革) OR 营商环境    parentheses group
//	放管服 -(疫情 OR 防控)      exclude a group
//
// OR must be upper case and stand alone; or is searched as text. OR binds
// tighter than the white space between terms, as in Google and zoekt:
// a b OR c means a AND (b OR c), and a OR b c OR d means (a OR b) AND
// (c OR d). Upper-case AND and NOT are errors that explain the syntax (terms
// already must all match; -phrase excludes); quote them to search for them.
//
// Only ASCII ( ) group, and only at the start of a term: inside a word they
// are text, so pasted 营商环境(2019) is the one phrase 营商环境2019.
// Full-width （ ） are always text (normalisation deletes them).
//
// A minus sign before a phrase or group excludes it. An exclusion cannot be a side of
// OR, a group must contain something to match, and so must the whole query
// unless it has a filter: -疫情 alone is an error, district:南山区 -疫情 is
// every paragraph of 南山区 without 疫情.
//
// # Filters
//
//	province:广东省    city:深圳市    district:南山区    section:工作回顾
//	year:2019         year:2018..2021    year:2018..    year:..2021
//
// Field names are ASCII letters in any case, followed by : or the
// full-width ：. Values may be written in either script and are folded to the
// simplified form the index stores (norm.Fold, then trimmed); quote a value
// that holds a space: section:"工作 回顾". Repeating a field ORs its values
// (district:南山区 district:福田区); different fields must all match. Years run
// from 1949 to 2100; full-width digits and a trailing 年 are accepted.
// year may be given once.
//
// Filters stand on their own at the top level: not inside parentheses, not a
// side of OR, not excluded. An ASCII word followed by an ASCII colon that is
// not a field name (foo:bar, http://…) is an error, so a mistyped field never
// silently becomes a phrase; quote it ("foo:bar") to search for it. Before a
// full-width colon an unknown word is text: 目标：增长 is a phrase.
//
// # Errors
//
// Parse returns an [*Error] giving the character offset (Pos, counted from 0
// in Unicode code points; the message counts from 1) and what is wrong:
// unbalanced quotes or parentheses, an unknown field, a bad or reversed year,
// an empty value, OR missing a side, a query that only excludes, a phrase of
// only punctuation, a query longer than [MaxLen] characters, or a byte that
// is not UTF-8 (counted as one character; [CheckUTF8] finds it), which would
// otherwise become U+FFFD and match any punctuation. A query of
// only white space returns [ErrEmpty], so a caller can show an empty state.
// Parse never panics.
package query
