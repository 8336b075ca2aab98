/* t_risk.c - the risk sheet's arithmetic (importance, likelihood table,
 * risk value) and CSV for Excel (BOM, CRLF, quoting, formula cells
 * neutralised). */
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/err.h"
#include "common/risk.h"
#include "tests/tap.h"

static void
test_arithmetic(void)
{
	is_int(risk_importance(1, 2, 3, false), 3, "importance is the highest of C, I, A");
	is_int(risk_importance(2, 1, 1, false), 2, "... whichever it is");
	is_int(risk_importance(1, 1, 1, true), 3, "personal data makes it 3");
	is_int(risk_importance(0, 1, 1, false), 0, "out of range: 0");
	is_int(risk_importance(1, 4, 1, false), 0, "out of range: 0 (4)");

	/* IPA's conversion table, threat rows 3..1, weakness columns 3..1. */
	static const int table[3][3] = { { 3, 2, 1 }, { 2, 1, 1 }, { 1, 1, 1 } };
	int wrong = 0;
	for (int t = 3; t >= 1; t--)
		for (int w = 3; w >= 1; w--)
			wrong += risk_likelihood(t, w) != table[3 - t][3 - w];
	is_int(wrong, 0, "likelihood follows the sheet's threat x weakness table");
	is_int(risk_likelihood(0, 3), 0, "likelihood of an unrated threat: 0");

	is_int(risk_value(3, 3), 9, "risk value 3 x 3 = 9");
	is_int(risk_value(2, 3), 6, "2 x 3 = 6");
	is_int(risk_value(1, 1), 1, "1 x 1 = 1");
	is_int(risk_value(3, risk_likelihood(3, 2)), 6, "personal data, frequent threat, partial measures: 6");
	is_int(risk_value(0, 2), 0, "unrated: 0");
	is_str(risk_level(9), "high", "9 is high");
	is_str(risk_level(6), "high", "6 is high");
	is_str(risk_level(4), "medium", "4 is medium");
	is_str(risk_level(3), "medium", "3 is medium");
	is_str(risk_level(2), "low", "2 is low");
	const char *id = NULL;
	ok(risk_treatment_parse("transfer", &id) == MAMORI_OK && strcmp(id, "transfer") == 0, "treatment parses");
	ok(risk_treatment_parse("ignore", &id) == MAMORI_E_INVAL, "an unknown treatment is refused");
	is_str(risk_treatment_text("reduce").ja, "低減（対策を講じる）", "treatments in Japanese");
}

/* One CSV row of the given cells, as bytes. */
static char *
row(const char *const *cells, size_t n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct csv c;
	csv_begin(&c, f);
	for (size_t i = 0; i < n; i++)
		csv_text(&c, cells[i]);
	csv_int(&c, -5);
	csv_end_row(&c);
	ok(csv_finish(&c) == MAMORI_OK, "csv_finish ok");
	fclose(f);
	return buf;
}

static void
test_csv(void)
{
	static const char *const cells[] = {
		"plain", "a,b", "say \"hi\"", "two\nlines", "=1+2", "+81 3", "-2", "@SUM(A1)",
		"\tTAB", "=HYPERLINK(\"http://evil\",\"x\")", "", "顧客名簿", "1=1",
	};
	size_t len;
	char *got = row(cells, sizeof(cells) / sizeof(cells[0]), &len);
	const char *want = "\xef\xbb\xbf" "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
	    "\"'=1+2\",\"'+81 3\",\"'-2\",\"'@SUM(A1)\",\"'\tTAB\","
	    "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",,顧客名簿,1=1,-5\r\n";
	ok(len == strlen(want) && memcmp(got, want, len) == 0,
	    "BOM, quoting, CRLF; cells starting with = + - @ or a tab get an apostrophe; numbers stay numbers");
	if (len != strlen(want) || memcmp(got, want, len) != 0)
		diag(got);
	free(got);
}

int
main(void)
{
	test_arithmetic();
	test_csv();
	return done_testing();
}
