/*
 * saved_searches_ui.h - the search page's way into saved searches.
 */
#ifndef BEACON_WEB_PAGES_SAVED_SEARCHES_UI_H
#define BEACON_WEB_PAGES_SAVED_SEARCHES_UI_H

#include "core/buf.h"
#include "search/search.h"

/*
 * A link "Save this search ..." to /saved-searches/new with sq's filters
 * (no order or paging). Inside the results, so HTMX swaps keep it current.
 */
void saved_search_link(struct buf *b, const struct search_query *sq);

#endif
