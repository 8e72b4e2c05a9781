/*
 * help.c - how Beacon works: searching, the accommodation vocabulary,
 * keyboard use, feeds and the API. Linked from every page's header and
 * footer (WCAG 3.2.6 consistent help).
 */
#include "core/html.h"
#include "model/vocab.h"
#include "web/handlers.h"
#include "web/layout.h"

void
page_help(struct rctx *ctx)
{
	struct buf *b = &ctx->body;
	struct page pg = {.title = "Help", .description = "How to search jobs on Beacon.",
	                  .nav = "help"};
	layout_begin(ctx, &pg);
	HTML_LIT(b, "<h1>How Beacon works</h1>"
	            "<section aria-labelledby=\"h-search\"><h2 id=\"h-search\">Searching</h2>"
	            "<p>Type words from a job title or a skill. Beacon also finds other forms of "
	            "your words: “nursing” finds “nurse”. Every word must match.</p>"
	            "<p>Filters narrow the list. The number next to each filter tells how many "
	            "jobs you would see with it. Choose several employment types or levels to see "
	            "jobs of any of them; choose several accommodations to see jobs that offer all "
	            "of them.</p></section>"
	            "<section aria-labelledby=\"h-acc\"><h2 id=\"h-acc\">Accommodations</h2>"
	            "<p>Employers choose from this list:</p><ul>");
	for (size_t i = 0; i < vocab_accommodations_count; i++) {
		HTML_LIT(b, "<li>");
		html_text(b, vocab_accommodations[i].label);
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul></section>"
	            "<section aria-labelledby=\"h-keys\"><h2 id=\"h-keys\">Keyboard</h2>"
	            "<p>Every part of Beacon works with the keyboard. Press Tab to move, Space to "
	            "tick a filter, Enter to follow a link or search. The first Tab on each page "
	            "offers a link that skips to the main content.</p></section>"
	            "<section aria-labelledby=\"h-feeds\"><h2 id=\"h-feeds\">Feeds and API</h2>"
	            "<p>Every search has an RSS feed: use the link under the results. Programs can "
	            "use the JSON API at <a href=\"/api/v1/jobs\">/api/v1/jobs</a> with the same "
	            "parameters as the search page.</p></section>"
	            "<section aria-labelledby=\"h-contact\"><h2 id=\"h-contact\">Contact</h2>"
	            "<p>Write to <a href=\"mailto:help@beacon.example\">help@beacon.example</a>. "
	            "We answer in writing.</p></section>");
	layout_end(ctx, &pg);
	resp_send(ctx, 200, "text/html; charset=utf-8", CACHE_SHORT);
}
