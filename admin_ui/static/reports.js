// Print button of the monthly report (no inline scripts: the CSP allows 'self' only).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-report");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
});
