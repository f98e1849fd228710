// Package batch pays a spreadsheet of payouts: it reads the file finance
// staff made (CSV, `,` or `;`, UTF-8 with or without a BOM), checks every
// line at once, plans which lines still need sending from the ledger alone,
// and sends them one by one through ui/core, each journaled before it leaves.
//
// A line's identity is its batch (the file's name, or an explicit name),
// the fingerprint of the payment it makes (operator, amount, recipient) and
// its occurrence number among lines making the same payment. So a re-run
// pays only lines never sent, a line whose amount or recipient was corrected
// is a new line, and two identical lines are two payments. A line whose outcome is
// unknown is never sent again by this package.
package batch

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/core"
)

// MaxFileSize bounds what Parse reads: far above any payroll (a 100,000-line
// file is about 10 MB), small enough that a wrong file chosen by mistake
// (a video, a disk image) is refused instead of read into memory.
const MaxFileSize = 32 << 20

// MaxLines bounds the lines of one batch, for the same reason.
const MaxLines = 100_000

// Column names, as the file's header gives them (see columnAliases).
const (
	ColOperator = "operator"
	ColPhone    = "phone"
	ColUsername = "username"
	ColEmail    = "email"
	ColAmount   = "amount"
	ColReason   = "reason"
	ColName     = "name"
)

// Problem codes. They are stable (the --json output carries them); the
// client's validation codes (client.Code…) are used as they are.
const (
	CodeNotUTF8          = "not_utf8"
	CodeUTF16            = "utf16"
	CodeTooBig           = "file_too_big"
	CodeTooManyLines     = "too_many_lines"
	CodeNoHeader         = "no_header"
	CodeNoLines          = "no_lines"
	CodeCSVSyntax        = "csv_syntax"
	CodeMissingColumn    = "missing_column"
	CodeNoRecipientCol   = "no_recipient_column"
	CodeDuplicateColumn  = "duplicate_column"
	CodeUnknownColumn    = "unknown_column" // warning
	CodeTooManyCells     = "too_many_cells"
	CodeOperatorRequired = "operator_required"
	CodeOperatorUnknown  = "operator_unknown"
	CodePhoneNotOperator = "phone_not_operator"
	CodeDuplicateLine    = "duplicate_line" // warning
	CodeNUL              = "nul_character"  // a NUL byte in a cell: refused at its line
	// CodeResultsFile: the file is a results file coolpay wrote (its
	// header), which lists payouts already sent: sending it would pay
	// them again.
	CodeResultsFile = "results_file"
)

// Problem is one thing wrong (or worth a look) in the file. Line is the
// spreadsheet's line number (the header is line 1), 0 for the whole file.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Code    string `json:"code"`
	Value   string `json:"value,omitempty"` // the cell as written (untrusted: shown inert)
	Message string `json:"message"`         // English; the console and commands translate by Code
	Warning bool   `json:"warning,omitempty"`
	// Lines lists the lines a duplicate warning is about.
	Lines []int `json:"lines,omitempty"`
	// Args are extra values the translated message needs (an operator name).
	Args []string `json:"-"`
}

// Line is one payout line of the file.
type Line struct {
	Num    int              // the spreadsheet's line number
	In     core.PayoutInput // the cells as written (trimmed)
	Req    client.PayoutRequest
	Amount int64  // XAF, when the line is valid
	Key    string // fingerprint/occurrence, when the line is valid
	Bad    bool   // the line has at least one error
}

// File is a parsed batch file.
type File struct {
	Lines     []Line
	Problems  []Problem // errors and warnings, in line order
	Delimiter rune
	BOM       bool
	Total     int64 // sum of the valid lines' amounts (XAF)
}

// Errors counts the problems that are not warnings.
func (f *File) Errors() int {
	n := 0
	for _, p := range f.Problems {
		if !p.Warning {
			n++
		}
	}
	return n
}

// OK reports whether the file can be sent: it has lines and no error.
func (f *File) OK() bool { return f.Errors() == 0 && len(f.Lines) > 0 }

// columnAliases maps a normalised header (see headerKey) to its column:
// the English names of the issue, the API's field names, and the French
// words a French spreadsheet is likely to use.
var columnAliases = map[string]string{
	"operator": ColOperator, "operateur": ColOperator, "transactionoperator": ColOperator,
	"network": ColOperator, "reseau": ColOperator, "wallet": ColOperator,
	"phone": ColPhone, "telephone": ColPhone, "tel": ColPhone, "phonenumber": ColPhone,
	"customerphonenumber": ColPhone, "mobile": ColPhone, "numero": ColPhone, "numerodetelephone": ColPhone,
	"username": ColUsername, "customerusername": ColUsername, "identifiant": ColUsername,
	"utilisateur": ColUsername, "nomdutilisateur": ColUsername,
	"email": ColEmail, "mail": ColEmail, "customeremail": ColEmail, "courriel": ColEmail, "adresseemail": ColEmail,
	"amount": ColAmount, "montant": ColAmount, "transactionamount": ColAmount, "amountxaf": ColAmount,
	"montantxaf": ColAmount, "somme": ColAmount,
	"reason": ColReason, "motif": ColReason, "raison": ColReason, "transactionreason": ColReason,
	"description": ColReason, "libelle": ColReason,
	"name": ColName, "nom": ColName, "customername": ColName, "beneficiary": ColName,
	"beneficiaire": ColName, "fullname": ColName, "nomcomplet": ColName,
}

// headerKey normalises a header cell: lower case, accents and anything in
// parentheses dropped ("Montant (XAF)" → "montant"), letters and digits only.
func headerKey(h string) string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(h) {
		switch {
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if f, ok := unaccent[r]; ok {
				b.WriteRune(f)
			}
		}
	}
	return b.String()
}

var unaccent = map[rune]rune{
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'à': 'a', 'â': 'a', 'î': 'i', 'ï': 'i',
	'ô': 'o', 'ù': 'u', 'û': 'u', 'ç': 'c',
}

// operatorAliases maps what finance staff write in the operator column to
// the API's operator codes.
var operatorAliases = map[string]string{
	"mtn": client.OperatorMoMo, "momo": client.OperatorMoMo, "mtnmomo": client.OperatorMoMo,
	"mtnmobilemoney": client.OperatorMoMo, "cmmomo": client.OperatorMoMo,
	"orange": client.OperatorOM, "om": client.OperatorOM, "orangemoney": client.OperatorOM,
	"cmom": client.OperatorOM,
	"mcp":  client.OperatorMCP, "mycoolpay": client.OperatorMCP, "coolpay": client.OperatorMCP,
}

// Operator reads an operator cell: MTN, Orange, MCP, the API's codes, or a
// few spellings of them; "" when it is none of those.
func Operator(cell string) string {
	return operatorAliases[headerKey(cell)]
}

// progressEvery is how many lines ParseProgress reads between two calls
// of its progress function.
const progressEvery = 2000

// ParseProgress reads a batch file and checks every line, telling progress
// (when not nil) how many lines it has read every progressEvery lines (a
// big file takes seconds: the console shows it). It returns an error only
// when the reader fails; everything wrong with the content is a Problem.
func ParseProgress(r io.Reader, progress func(lines int)) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	f := &File{Delimiter: ','}
	fileProblem := func(code, msg string) (*File, error) {
		f.Problems = append(f.Problems, Problem{Code: code, Message: msg})
		return f, nil
	}
	if len(data) > MaxFileSize {
		return fileProblem(CodeTooBig, "the file is larger than 32 MB: is it the right file?")
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return fileProblem(CodeUTF16, `the file is UTF-16 ("Unicode text"): save it as "CSV UTF-8" instead`)
	}
	if b, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF")); ok {
		data, f.BOM = b, true
	}
	if !utf8.Valid(data) {
		return fileProblem(CodeNotUTF8, `the file is not UTF-8: in the spreadsheet, save it as "CSV UTF-8"`)
	}
	f.Delimiter = sniffDelimiter(data)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = f.Delimiter
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return fileProblem(CodeNoHeader, "the file is empty: the first line must name the columns (operator, phone, amount, …)")
	}
	if err != nil {
		return fileProblem(CodeCSVSyntax, csvMessage(err))
	}
	if isResultsHeader(header) {
		f.Problems = append(f.Problems, Problem{Line: 1, Code: CodeResultsFile,
			Message: "this is a results file written by coolpay: its lines were sent already; send the original file instead"})
		return f, nil
	}
	cols, fatal := f.readHeader(header)
	if fatal {
		return f, nil
	}
	stopped := false // a problem ended the reading early
read:
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			// A broken quote makes the rest of the file unreadable as
			// lines: stop here rather than guess where lines begin.
			f.Problems = append(f.Problems, Problem{Line: line, Code: CodeCSVSyntax, Message: csvMessage(err)})
			stopped = true
			break read
		}
		num, _ := cr.FieldPos(0)
		if blank(rec) {
			continue // spreadsheets leave empty rows (";;;;") at the end
		}
		if len(f.Lines) == MaxLines {
			f.Problems = append(f.Problems, Problem{Line: num, Code: CodeTooManyLines,
				Message: "more than 100000 lines: split the file"})
			stopped = true
			break read
		}
		f.Lines = append(f.Lines, f.readLine(num, rec, cols, len(header)))
		if progress != nil && len(f.Lines)%progressEvery == 0 {
			progress(len(f.Lines))
		}
	}
	if len(f.Lines) == 0 && !stopped {
		f.Problems = append(f.Problems, Problem{Code: CodeNoLines, Message: "the file has a header but no payout lines"})
	}
	// Lines read before a problem stopped the reading get their keys
	// too: every valid line has one (the file is refused all the same).
	f.assignKeys()
	return f, nil
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "the file is not valid CSV here: " + pe.Err.Error() + ` (a quote " opened and not closed?)`
	}
	return "the file is not valid CSV: " + err.Error()
}

// sniffDelimiter picks `;` when the header line has more of them than commas
// outside quotes (French spreadsheets write `;`), else `,`.
func sniffDelimiter(data []byte) rune {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), MaxFileSize)
	if !sc.Scan() {
		return ','
	}
	commas, semis, quoted := 0, 0, false
	for _, c := range sc.Bytes() {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// resultsOnly are the columns of a results file (ResultsHeader) that no
// payroll has, normalised as headerKey does.
var resultsOnly = []string{"line", "result", "state", "apptransactionref", "transactionref", "attempts", "message", "tosettle"}

// isResultsHeader recognises coolpay's own results file by its header: at
// least three of the columns only a results file has, even when a
// spreadsheet dropped or reordered some.
func isResultsHeader(header []string) bool {
	n := 0
	for _, h := range header {
		k := headerKey(h)
		for _, r := range resultsOnly {
			if k == r {
				n++
				break
			}
		}
	}
	return n >= 3
}

// readHeader maps columns by name. It reports fatal problems (a required
// column missing) that make the lines unreadable.
func (f *File) readHeader(header []string) (map[string]int, bool) {
	cols := map[string]int{}
	fatal := false
	for i, h := range header {
		name := strings.TrimSpace(h)
		if strings.IndexByte(h, 0) >= 0 {
			// A NUL is no column name: a damaged or binary file.
			f.Problems = append(f.Problems, Problem{Line: 1, Code: CodeNUL, Value: h, Message: nulMessage})
			fatal = true
			continue
		}
		if name == "" {
			continue
		}
		col, ok := columnAliases[headerKey(name)]
		if !ok {
			f.Problems = append(f.Problems, Problem{Line: 1, Code: CodeUnknownColumn, Warning: true,
				Value: name, Message: "column " + strconv.Quote(name) + " is not one coolpay reads: it is ignored"})
			continue
		}
		if _, dup := cols[col]; dup {
			f.Problems = append(f.Problems, Problem{Line: 1, Column: col, Code: CodeDuplicateColumn, Value: name,
				Message: "two columns mean " + col + ": keep only one"})
			fatal = true
			continue
		}
		cols[col] = i
	}
	for _, need := range []string{ColOperator, ColAmount} {
		if _, ok := cols[need]; !ok {
			f.Problems = append(f.Problems, Problem{Line: 1, Column: need, Code: CodeMissingColumn,
				Message: "no " + need + " column: the first line must name the columns (operator, phone, amount, …)"})
			fatal = true
		}
	}
	_, p := cols[ColPhone]
	_, u := cols[ColUsername]
	_, e := cols[ColEmail]
	if !p && !u && !e {
		f.Problems = append(f.Problems, Problem{Line: 1, Code: CodeNoRecipientCol,
			Message: "no recipient column: add phone (or username / email for My-CoolPay wallets)"})
		fatal = true
	}
	return cols, fatal
}

// readLine checks one line and records every problem it has, not only the
// first, so finance can fix the file in one pass.
func (f *File) readLine(num int, rec []string, cols map[string]int, width int) Line {
	cell := func(col string) string {
		if i, ok := cols[col]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	l := Line{Num: num, In: core.PayoutInput{
		Operator: cell(ColOperator), Phone: cell(ColPhone), Username: cell(ColUsername),
		Email: cell(ColEmail), Amount: cell(ColAmount), Reason: cell(ColReason), Name: cell(ColName),
	}}
	bad := func(col, code, value, msg string, args ...string) {
		l.Bad = true
		f.Problems = append(f.Problems, Problem{Line: num, Column: col, Code: code, Value: value, Message: msg, Args: args})
	}
	fromClient := func(col, value string, err error) {
		var ve *client.ValidationError
		if errors.As(err, &ve) {
			bad(col, ve.Code, value, ve.Message)
		} else {
			bad(col, "invalid", value, err.Error())
		}
	}
	for i, c := range rec {
		if strings.IndexByte(c, 0) >= 0 {
			col := ""
			for name, j := range cols {
				if j == i {
					col = name
				}
			}
			bad(col, CodeNUL, c, nulMessage)
		}
	}
	if len(rec) > width {
		extra := strings.Join(rec[width:], string(f.Delimiter))
		if strings.TrimSpace(strings.ReplaceAll(extra, string(f.Delimiter), "")) != "" {
			bad("", CodeTooManyCells, extra, "this line has more cells than the header has columns (an unquoted "+
				string(f.Delimiter)+" in a name or amount?)")
		}
	}
	op := Operator(l.In.Operator)
	switch {
	case l.In.Operator == "":
		bad(ColOperator, CodeOperatorRequired, "", "no operator: write MTN, Orange or MCP")
	case op == "":
		bad(ColOperator, CodeOperatorUnknown, l.In.Operator, "unknown operator: write MTN, Orange or MCP")
	}
	amount, err := client.ParseAmount(l.In.Amount, client.CurrencyXAF)
	if err != nil {
		fromClient(ColAmount, l.In.Amount, err)
	}
	switch {
	case op == client.OperatorMoMo || op == client.OperatorOM:
		phone, err := client.NormalizePhone(l.In.Phone)
		if err != nil {
			fromClient(ColPhone, l.In.Phone, err)
			break
		}
		if got := client.PhoneOperator(phone); got != op {
			owner := ""
			if got != "" {
				owner = operatorWord(got)
			}
			bad(ColPhone, CodePhoneNotOperator, l.In.Phone, "this phone is not an "+operatorWord(op)+" number ("+
				phoneOwner(got)+")", operatorWord(op), owner)
		}
	case op == client.OperatorMCP:
		if l.In.Phone == "" && l.In.Username == "" && l.In.Email == "" {
			bad(ColPhone, client.CodeRecipientRequired, "", "no recipient: a My-CoolPay payout needs a phone, username or e-mail")
		} else if l.In.Phone != "" {
			if _, err := client.NormalizePhone(l.In.Phone); err != nil {
				fromClient(ColPhone, l.In.Phone, err)
			}
		}
	}
	if op != "" && !l.Bad {
		in := l.In
		in.Operator = op
		req, err := core.PayoutRequest(in)
		if err != nil {
			var ve *client.ValidationError
			col := ""
			if errors.As(err, &ve) {
				col = columnOfField(ve.Field)
			}
			fromClient(col, cellOf(l.In, col), err)
		} else {
			l.Req = req
			l.In.Operator = op
			l.Amount, _ = strconv.ParseInt(amount.String(), 10, 64)
			f.Total += l.Amount
		}
	}
	return l
}

// nulMessage: a NUL byte has no place in a spreadsheet's text; it would be
// cut or kept differently by every program that reads the reason or name.
const nulMessage = "this cell holds a NUL character (byte 0): the file is damaged or not plain text; retype the cell"

func columnOfField(field string) string {
	switch field {
	case "customer_email":
		return ColEmail
	case "customer_phone_number":
		return ColPhone
	case "transaction_amount":
		return ColAmount
	case "transaction_operator":
		return ColOperator
	}
	return ""
}

func cellOf(in core.PayoutInput, col string) string {
	switch col {
	case ColEmail:
		return in.Email
	case ColPhone:
		return in.Phone
	case ColAmount:
		return in.Amount
	case ColOperator:
		return in.Operator
	}
	return ""
}

func operatorWord(op string) string {
	switch op {
	case client.OperatorMoMo:
		return "MTN"
	case client.OperatorOM:
		return "Orange"
	}
	return "My-CoolPay"
}

func phoneOwner(op string) string {
	if op == "" {
		return "neither MTN nor Orange"
	}
	return "an " + operatorWord(op) + " number"
}

// Fingerprint identifies the payment a line makes: the operator code, the
// amount and the recipient (phone, username, e-mail) in their canonical
// forms, so "1 500" and "1500" are the same payment. The name and the reason
// are left out on purpose: fixing a typo in a name after a line was paid
// must not make it a new line that is paid again; fixing the amount or the
// phone (what makes a payout fail) does.
func Fingerprint(req client.PayoutRequest) string {
	h := sha256.New()
	for _, s := range []string{req.TransactionOperator, req.TransactionAmount.String(), req.CustomerPhoneNumber,
		strings.ToLower(req.CustomerUsername), strings.ToLower(req.CustomerEmail)} {
		h.Write([]byte(s))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// assignKeys gives each valid line its key (fingerprint/occurrence) and
// warns once per group of lines paying the same amount to the same
// recipient: they are meant as separate payments, so each is paid, but a
// copy-paste slip looks the same.
func (f *File) assignKeys() {
	seen := map[string][]int{} // fingerprint → indexes into f.Lines
	var order []string
	for i := range f.Lines {
		l := &f.Lines[i]
		if l.Bad {
			continue
		}
		fp := Fingerprint(l.Req)
		if _, ok := seen[fp]; !ok {
			order = append(order, fp)
		}
		seen[fp] = append(seen[fp], i)
		l.Key = fp + "/" + strconv.Itoa(len(seen[fp]))
	}
	for _, fp := range order {
		idx := seen[fp]
		if len(idx) < 2 {
			continue
		}
		var nums []int
		for _, i := range idx {
			nums = append(nums, f.Lines[i].Num)
		}
		first := f.Lines[idx[0]]
		f.Problems = append(f.Problems, Problem{Line: nums[1], Code: CodeDuplicateLine, Warning: true, Lines: nums,
			Value: first.In.Amount,
			Message: "lines " + joinInts(nums, 50) + " pay the same amount to the same recipient: each is a separate payment (" +
				strconv.Itoa(len(nums)) + " payments); delete the copies if that is a slip"})
	}
	sortProblems(f.Problems)
}

// joinInts lists at most max numbers of n, then how many more.
func joinInts(n []int, max int) string {
	s := make([]string, 0, min(len(n), max))
	for _, v := range n[:min(len(n), max)] {
		s = append(s, strconv.Itoa(v))
	}
	out := strings.Join(s, ", ")
	if len(n) > max {
		out += " and " + strconv.Itoa(len(n)-max) + " more"
	}
	return out
}

// sortProblems orders problems by line, file-wide ones first; a stable sort
// keeps a line's problems in column order.
func sortProblems(p []Problem) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Line < p[j].Line })
}

// ParseTotal reads the total a person typed to confirm a batch: digits,
// optionally grouped by spaces, "XAF" or "FCFA" after it allowed. It refuses
// anything else rather than guess.
func ParseTotal(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"XAF", "xaf", "FCFA", "fcfa", "F"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suf))
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r):
		default:
			return 0, false
		}
	}
	d := b.String()
	if d == "" || len(d) > 15 {
		return 0, false
	}
	v, err := strconv.ParseInt(d, 10, 64)
	return v, err == nil
}
