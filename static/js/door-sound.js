// A short, distinct sound and vibration for each outcome, made with WebAudio (no sound files).
// Browsers keep audio silent until the page is touched or a key is pressed; the first touch,
// tap or scanner key unlocks it.

const TONES = {
  ok: [[880, 0, 0.09], [1320, 0.1, 0.14]],           // two rising notes
  warn: [[700, 0, 0.12], [700, 0.18, 0.12]],          // the same note twice
  error: [[330, 0, 0.22], [220, 0.24, 0.36]],         // two falling, low notes
};
const WAVES = { ok: "sine", warn: "triangle", error: "square" };
const VIBRATION = { ok: [70], warn: [70, 80, 70], error: [260, 90, 260] };

export class Feedback {
  constructor({ muted = false } = {}) {
    this.muted = muted;
    this.context = null;
    this.onUnlock = null;  // called once sound is allowed
    const unlock = () => this.unlock();
    for (const type of ["pointerdown", "keydown", "touchend"]) {
      document.addEventListener(type, unlock, { capture: true, passive: true });
    }
  }

  get locked() {
    return !this.context || this.context.state !== "running";
  }

  unlock() {
    const AudioContext = window.AudioContext ?? window.webkitAudioContext;
    if (!AudioContext) return;
    try {
      const fresh = !this.context;
      this.context ??= new AudioContext();
      if (this.context.state === "suspended") {
        this.context.resume().then(() => this.onUnlock?.()).catch(() => {});
      } else if (fresh) {
        this.onUnlock?.();
      }
    } catch {
      this.context = null;
    }
  }

  play(kind) {
    try {
      // Browsers allow vibration only once the page has been touched.
      if (navigator.userActivation?.hasBeenActive ?? true) navigator.vibrate?.(VIBRATION[kind] ?? VIBRATION.error);
    } catch { /* vibration is a bonus */ }
    if (this.muted || !TONES[kind]) return;
    if (!this.context) this.unlock();
    const context = this.context;
    if (!context || context.state !== "running") return;
    const start = context.currentTime + 0.01;
    for (const [frequency, offset, length] of TONES[kind]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = WAVES[kind];
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(kind === "error" ? 0.25 : 0.35, start + offset + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + length + 0.02);
    }
  }
}
