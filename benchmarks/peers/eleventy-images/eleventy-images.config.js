// Eleventy Image laid over the Eleventy peer site for focue_ssg's image benchmark:
// each lead image (make_corpus.py --format hugo --images writes them under assets/)
// is resized to WebP at focue's widths and quality, with a srcset.
// Use: eleventy --config=eleventy-images.config.js (with @11ty/eleventy-img installed
// where Node finds it from the site folder).
import Image from "@11ty/eleventy-img";
import peerSite from "./eleventy.config.js";

// focue's widths. Eleventy Image never upscales: the first width wider than the
// photo is replaced by the photo's own, as focue does (minimumThreshold 1 keeps it
// even when it is near the width below). It also turns photos upright.
const WIDTHS = [320, 640, 960, 1280, 1920];

export default function (eleventyConfig) {
  eleventyConfig.addAsyncShortcode("leadImage", async (src, alt) => {
    const made = await Image(`assets/${src}`, {
      widths: WIDTHS,
      formats: ["webp"],
      outputDir: "_site/img/",
      urlPath: "/img/",
      sharpWebpOptions: { quality: 75 },
      minimumThreshold: 1,
    });
    return Image.generateHTML(made, { alt, sizes: "(min-width: 45rem) 42rem, 100vw" });
  });
  return peerSite(eleventyConfig);
}
