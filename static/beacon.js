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

// A form that came back with errors: move focus to the list of errors so it is
// read first and each entry links to its field (the summary works without this).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
