/* Focue embeds: a facade becomes the provider's iframe only when the reader asks for it.
   Until then the page makes no request to the provider. No dependencies. */
(function () {
  "use strict";

  function load(figure) {
    var frame = document.createElement("iframe");
    frame.src = figure.dataset.embed;
    frame.title = figure.dataset.title || "Embedded content";
    frame.className = "embed-frame";
    frame.loading = "lazy";
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    figure.replaceChildren(frame);
    figure.classList.add("embed-loaded");
    frame.focus();
  }

  document.querySelectorAll("figure.embed[data-embed]").forEach(function (figure) {
    var button = figure.querySelector(".embed-load");
    if (!button || !/^https:\/\//.test(figure.dataset.embed)) {
      return;
    }
    button.addEventListener("click", function () { load(figure); });
    button.hidden = false;
  });

  /* A Datawrapper chart reports the height it needs; it is given that, not a fixed box. */
  window.addEventListener("message", function (event) {
    var heights = event.origin === "https://datawrapper.dwcdn.net" && event.data
      && event.data["datawrapper-height"];
    if (!heights) {
      return;
    }
    document.querySelectorAll(".embed-datawrapper iframe").forEach(function (frame) {
      if (frame.contentWindow !== event.source) {
        return;
      }
      Object.keys(heights).forEach(function (chart) {
        var height = Number(heights[chart]);
        if (height > 0 && height < 10000) {
          frame.parentNode.style.aspectRatio = "auto";
          frame.style.height = height + "px";
        }
      });
    });
  });
}());
