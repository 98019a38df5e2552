// The MC's presenter view of the report's slides: the page the hall sees and the next one, drawn
// with the same renderer as the projector (slides.js), and the switch between the slides and the
// agenda screen. The clicker's keys turn the pages first (mc.js asks slidesDrive).
import { setText } from "./live.js";
import { SlideView } from "./slides.js";
import { template } from "./timing.js";

const $ = (id) => document.getElementById(id);

export function slidesPanel({ t, command, current }) {
  const now = new SlideView($("slide-now"), { keep: 4 });
  const next = new SlideView($("slide-next"), { keep: 4 });
  $("slides-toggle").addEventListener("click", (event) => {
    event.currentTarget.blur();
    const slide = current()?.slide;
    if (slide) command("/api/stage/slides", { shown: !slide.shown });
  });

  function render(snapshot) {
    const slide = snapshot.slide;
    $("slides-card").hidden = !slide;
    if (!slide) return;
    setText($("slide-count"), template(t.slide_count, { page: slide.page, pages: slide.pages }));
    $("slides-card").dataset.shown = String(slide.shown);
    const last = slide.page >= slide.pages;
    setText($("slide-next-label"), !slide.shown ? t.slides_hidden : last ? t.slide_last
      : template(t.slide_count, { page: slide.page + 1, pages: slide.pages }));
    now.show(slide.url, slide.page).catch((error) => console.error(error));
    $("slide-next").hidden = last;
    if (!last) next.show(slide.url, slide.page + 1).catch((error) => console.error(error));
  }

  // Whether the clicker's key turns a page (rather than moving the show): the slides are on the
  // projectors and there is a page that way.
  function drive(snapshot, direction) {
    const slide = snapshot?.slide;
    if (!slide?.shown) return false;
    return direction > 0 ? slide.page < slide.pages : slide.page > 1;
  }

  return { render, drive };
}
