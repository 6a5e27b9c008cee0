// Package csvexport is the one definition of search hits as CSV, shared by
// the web export (/export.csv) and `search -csv`: the columns, their order,
// and cells made safe to open in a spreadsheet.
//
// A cell that starts with = + - @ or a tab or carriage return would be read
// by Excel, LibreOffice or Google Sheets as a formula (CSV injection:
// =HYPERLINK(…) in a scraped paragraph becomes a live link, =cmd|… can run
// a command); [Cell] puts an apostrophe in front, which spreadsheets show as
// text. Writing the records (BOM, line ends) is the caller's business.
package csvexport
