// Beacon's only script of its own. Pages work without it; it keeps focus
// sensible after HTMX swaps the search results.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail && event.detail.target;
  if (!target || target.id !== "results") return;
  var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  // A pagination link that triggered the swap no longer exists: move focus to
  // the results heading so keyboard and screen-reader users keep their place.
  if (trigger && trigger.hasAttribute && trigger.hasAttribute("data-focus-results")) {
    var heading = document.getElementById("results-h");
    if (heading) {
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  }
});

// A failed search request (server error, network down) swaps nothing: say so
// in the live region, which is also visible, instead of leaving old results
// without a word.
function searchFailed(event) {
  var target = event.detail && event.detail.target;
  if (!target || target.id !== "results") return;
  var status = document.getElementById("result-status");
  if (status) status.textContent = "The search did not work. Please try again in a moment.";
}
document.addEventListener("htmx:responseError", searchFailed);
document.addEventListener("htmx:sendError", searchFailed);

// A region that marks itself data-swap-refusals (the pipeline board) is
// answered with itself and the reason in an alert when the server refuses the
// request (409, 422). HTMX 2 swaps no 4xx answer by default, which would
// leave the old board without a word; these answers are meant to be shown.
document.addEventListener("htmx:beforeSwap", function (event) {
  var d = event.detail;
  if (!d || !d.xhr || !d.target || !d.target.hasAttribute) return;
  if ((d.xhr.status === 409 || d.xhr.status === 422) && d.target.hasAttribute("data-swap-refusals")) {
    d.shouldSwap = true;
    d.isError = false;
  }
});

// After a move the card's form is gone (the board is swapped whole): focus
// the reason when the move was refused, else the moved card's link, else the
// board's status line, so keyboard users keep their place.
document.addEventListener("htmx:afterSwap", function (event) {
  var board = event.target;
  if (!board || board.id !== "board") return;
  var error = document.getElementById("board-error");
  if (error) {
    error.focus();
    return;
  }
  var path = (event.detail && event.detail.requestConfig && event.detail.requestConfig.path) || "";
  var m = /^\/employer\/applications\/(\d+)\/stage$/.exec(path);
  var link = m && document.querySelector("#app-" + m[1] + " h3 a");
  var target = link || document.getElementById("board-status");
  if (target) target.focus();
});

// A form that came back with errors: move focus to the list of errors so it is
// read first and each entry links to its field (the summary works without this).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});

// Live notifications: the header link carries data-stream (signed-in pages).
// Server-Sent Events update its text ("Notifications (3)"), the summary and
// list on /notifications, and say what arrived in a polite live region.
// Without EventSource or this script the page shows the count it was served.
document.addEventListener("DOMContentLoaded", function () {
  var bell = document.getElementById("nav-notifications");
  if (!bell || !window.EventSource || !bell.getAttribute("data-stream")) return;
  var live = document.getElementById("notify-live");
  if (!live) {
    live = document.createElement("p");
    live.id = "notify-live";
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    document.body.appendChild(live);
  }
  function setBell(unread) {
    while (bell.firstChild) bell.removeChild(bell.firstChild);
    bell.appendChild(document.createTextNode("Notifications"));
    if (unread > 0) {
      bell.appendChild(document.createTextNode(" (" + unread));
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " unread";
      bell.appendChild(hidden);
      bell.appendChild(document.createTextNode(")"));
    }
    bell.setAttribute("data-unread", String(unread));
    var summary = document.getElementById("notify-summary");
    if (summary) {
      summary.textContent = unread === 0 ? "You have no unread notifications."
        : "You have " + unread + (unread === 1 ? " unread notification." : " unread notifications.");
    }
  }
  function addItem(n) {
    var list = document.getElementById("notify-list");
    if (!list || document.getElementById("n-" + n.id)) return;
    var li = document.createElement("li");
    li.className = "card notification unread";
    li.id = "n-" + n.id;
    var p = document.createElement("p");
    p.className = "card-title";
    var tag = document.createElement("strong");
    tag.className = "tag-unread";
    tag.textContent = "Unread:";
    var a = document.createElement("a");
    a.href = n.link;
    a.textContent = n.title;
    p.appendChild(tag);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "muted";
    meta.textContent = n.label;
    li.appendChild(p);
    li.appendChild(meta);
    list.insertBefore(li, list.firstChild);
  }
  var source = new EventSource(bell.getAttribute("data-stream"));
  source.addEventListener("count", function (event) {
    try { setBell(JSON.parse(event.data).unread); } catch (e) { /* a bad event changes nothing */ }
  });
  source.addEventListener("notification", function (event) {
    var n;
    try { n = JSON.parse(event.data); } catch (e) { return; }
    addItem(n);
    live.textContent = "New notification: " + n.title;
  });
  // 503 or a signed-out session: stop quietly; the page still works.
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) source.close();
  });
});

// Interview times are written and typed in UTC (the server does not know
// where the reader is). With JavaScript, and a reader not on UTC:
// - each time marked data-local also says the reader's own time:
//   "1 Dec 2026, 15:00 UTC (Dec 1, 2026, 9:00 AM your time)";
// - each field marked data-utc says under it, as it is filled in, what the
//   time typed is in the reader's own time (linked to the field as a hint).
document.addEventListener("DOMContentLoaded", function () {
  var times = document.querySelectorAll("time[data-local]");
  var fields = document.querySelectorAll("input[data-utc]");
  if ((!times.length && !fields.length) || !window.Intl || !Intl.DateTimeFormat) return;
  var fmt, zone;
  try {
    fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) { return; }
  // Browsers without dateStyle/timeStyle would print a date alone: say nothing then.
  if (zone === "UTC" || zone === "Etc/UTC" || !fmt.resolvedOptions().timeStyle) return;
  Array.prototype.forEach.call(times, function (t) {
    var at = new Date(t.getAttribute("datetime"));
    if (isNaN(at.getTime())) return;
    var span = document.createElement("span");
    span.className = "local-time";
    span.textContent = " (" + fmt.format(at) + " your time)";
    t.parentNode.insertBefore(span, t.nextSibling);
  });
  Array.prototype.forEach.call(fields, function (input) {
    var note = document.createElement("p");
    note.className = "hint local-time";
    note.id = "lt-" + input.id;
    input.parentNode.insertBefore(note, input.nextSibling);
    var by = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (by ? by + " " : "") + note.id);
    function update() {
      var v = input.value;
      var at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) ? new Date(v.slice(0, 16) + ":00Z") : null;
      note.textContent = at && !isNaN(at.getTime())
        ? "That is " + fmt.format(at) + " your time (" + zone + ")." : "";
    }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  });
});
