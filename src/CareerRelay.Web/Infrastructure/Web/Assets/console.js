// The company console's only script: one-click copy and a print button. A button with data-copy="<field id>" copies that field's
// text and announces data-done in the page's status line. Without JavaScript the buttons stay hidden
// and the read-only fields can still be selected and copied by hand.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("copy-status");
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // Older browsers, or a page not served over HTTPS: fall back to selecting and copying.
        field.select();
        document.execCommand("copy");
      }
      if (status) status.textContent = button.dataset.done || "";
    });
  }
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
