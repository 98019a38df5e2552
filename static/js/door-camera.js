// The camera scanner: the back camera, frames decoded one at a time in a worker (jsQR),
// and the same code held in front of the camera reported once.

const MAX_SIDE = 800;        // frames are scaled down to this before decoding
const HOLD_MS = 4000;        // a code seen again within this time (while held up) is ignored
const PREFERRED = "door-camera-device";

export class Camera {
  constructor(video, { onCode = () => {}, onState = () => {} } = {}) {
    this.video = video;
    this.onCode = onCode;
    this.onState = onState;
    this.state = "off";
    this.stream = null;
    this.worker = null;
    this.busy = false;
    this.frameId = 0;
    this.generation = 0;
    this.frameTimes = new Map();
    this.seen = new Map();  // code -> when it was last decoded
    this.sightings = 0;     // frames in which a code was read (the benchmark and tests watch it)
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
    this.wanted = false;
    document.addEventListener("visibilitychange", () => this.onVisibility());
  }

  setState(state, error) {
    this.state = state;
    this.onState(state, error);
  }

  // Why the camera cannot start, if we can tell before asking.
  static obstacle() {
    if (!window.isSecureContext) return "insecure";
    if (!navigator.mediaDevices?.getUserMedia) return "unsupported";
    return null;
  }

  async start() {
    this.wanted = true;
    const obstacle = Camera.obstacle();
    if (obstacle) { this.setState(obstacle); return false; }
    if (this.stream) return true;
    this.setState("starting");
    const preferred = localStorage.getItem(PREFERRED);
    const video = preferred
      ? { deviceId: { exact: preferred } }
      : { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } };
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (error) {
      if (preferred && ["NotFoundError", "OverconstrainedError"].includes(error.name)) {
        localStorage.removeItem(PREFERRED);  // that camera is gone: take the back camera
        return this.start();
      }
      this.setState(Camera.reason(error), error);
      return false;
    }
    for (const track of this.stream.getVideoTracks()) {
      track.addEventListener("ended", () => this.restart());
    }
    this.video.srcObject = this.stream;
    this.video.muted = true;
    this.video.setAttribute("playsinline", "");
    try {
      await this.video.play();
    } catch (error) {
      this.release();
      this.setState(error.name === "NotAllowedError" ? "needs-tap" : "error", error);
      return false;
    }
    this.ensureWorker();
    this.setState("running");
    this.loop();
    return true;
  }

  static reason(error) {
    switch (error?.name) {
      case "NotAllowedError": case "SecurityError": case "PermissionDeniedError": return "blocked";
      case "NotFoundError": case "OverconstrainedError": case "DevicesNotFoundError": return "missing";
      case "NotReadableError": case "AbortError": case "TrackStartError": return "busy";
      default: return "error";
    }
  }

  release() {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
    this.busy = false;
  }

  stop() {
    this.wanted = false;
    this.release();
    this.setState("off");
  }

  async restart() {
    if (!this.wanted) return;
    this.release();
    await this.start();
  }

  onVisibility() {
    if (document.hidden) {
      if (this.stream) { this.release(); this.setState("paused"); }
    } else if (this.wanted && !this.stream) {
      this.start();
    }
  }

  async cameras() {
    try {
      return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    } catch {
      return [];
    }
  }

  // Front or back: take the next camera and remember it for this tablet.
  async switchCamera() {
    const list = await this.cameras();
    if (list.length < 2) return false;
    const current = this.stream?.getVideoTracks()[0]?.getSettings().deviceId;
    const index = list.findIndex((d) => d.deviceId === current);
    localStorage.setItem(PREFERRED, list[(index + 1) % list.length].deviceId);
    await this.restart();
    return true;
  }

  ensureWorker() {
    if (this.worker) return;
    this.worker = new Worker(new URL("./door-decoder.js", import.meta.url));
    this.worker.onmessage = (event) => this.decoded(event.data);
    this.worker.onerror = () => { this.busy = false; };
  }

  loop() {
    const video = this.video;
    const generation = ++this.generation;
    const next = () => {
      if (!this.stream || generation !== this.generation) return;  // stopped, or a newer loop runs
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(onFrame);
      else requestAnimationFrame((now) => onFrame(now, null));
    };
    const onFrame = (now, metadata) => {
      if (!this.busy && video.readyState >= 2 && video.videoWidth) this.grab(metadata);
      next();
    };
    next();
  }

  grab(metadata) {
    const { videoWidth: width, videoHeight: height } = this.video;
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.context.drawImage(this.video, 0, 0, w, h);
    const image = this.context.getImageData(0, 0, w, h);
    const id = ++this.frameId;
    // When this frame was put on screen, in the page's clock (for the time-to-green figure).
    this.frameTimes.set(id, metadata?.presentationTime ?? metadata?.expectedDisplayTime ?? performance.now());
    this.busy = true;
    this.worker.postMessage({ id, width: w, height: h, buffer: image.data.buffer }, [image.data.buffer]);
  }

  decoded({ id, code, ms }) {
    this.busy = false;
    const frameTime = this.frameTimes.get(id);
    this.frameTimes.clear();
    if (!code) return;
    this.sightings += 1;
    const now = performance.now();
    const last = this.seen.get(code);
    this.seen.set(code, now);
    if (this.seen.size > 50) {
      for (const [key, at] of this.seen) if (now - at > HOLD_MS) this.seen.delete(key);
    }
    if (last !== undefined && now - last < HOLD_MS) return;  // still held in front of the camera
    performance.mark("door-decoded", { detail: { frameTime, decodeMs: ms } });
    this.onCode(code, { frameTime, decodeMs: ms });
  }
}
