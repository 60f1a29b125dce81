/**
 * The viewer page: the avatar animating through a motion in real time, orbit/zoom (drag, wheel),
 * play/pause, a timeline scrubber, speed, a motion picker (the run's training poses, the files
 * given to the server, any motion file dropped onto the page: parsed here by the same readers as
 * the command line), and the mode: skinned (any motion) or exact (an anim file's precomputed
 * Gaussians, streamed). `window.gavatarViewer` lets tests drive it.
 */
import { Effect } from "effect"
import { parseMotion } from "../../motion/parse.ts"
import { placeMotion } from "../../motion/place.ts"
import type { AvatarData, MotionData } from "./data.ts"
import { loadAvatar, loadIndex, loadMotion, streamAnim, transferred } from "./data.ts"
import type { AnimStream } from "./data.ts"
import { exactAvatar, skinnedAvatar } from "./meshes.ts"
import { makeStage } from "./scene.ts"

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

type Mode = { readonly _tag: "Skinned" } | { readonly _tag: "Exact"; readonly anim: number }

const params = new URLSearchParams(location.search)

const boot = async () => {
  const index = await loadIndex()
  const avatar: AvatarData = await loadAvatar(index.avatar)
  const motions: MotionData[] = await Promise.all(index.motions.map((m) => loadMotion(m.url)))
  const anims: Array<AnimStream | undefined> = index.anims.map(() => undefined)
  const canvas = byId<HTMLCanvasElement>("view")
  const anchor = avatar.anchor
  const rest = avatar.arrays["restJoints"] as Float32Array
  const stage = makeStage(canvas, avatar.camera, [(rest[0] as number) + (anchor.transl[0] as number), (rest[1] as number) + (anchor.transl[1] as number), (rest[2] as number) + (anchor.transl[2] as number)])
  const skinned = skinnedAvatar(avatar)
  const exact = exactAvatar(avatar.count)
  stage.scene.add(skinned.mesh)
  byId("note").textContent = avatar.note

  let mode: Mode = { _tag: "Skinned" }
  let motion = 0
  let time = 0
  let playing = params.get("play") !== "0"
  let speed = 1
  let shown = -1
  let renders = 0

  const frames = () => (mode._tag === "Exact" ? (anims[mode.anim]?.info()?.frames ?? 1) : (motions[motion]?.frames ?? 1))
  const fps = () => (mode._tag === "Exact" ? (anims[mode.anim]?.info()?.fps ?? 30) : (motions[motion]?.fps ?? 30))
  const frame = () => Math.min(Math.floor(time), frames() - 1)
  const scrubber = byId<HTMLInputElement>("scrub")
  const status = byId("status")

  const show = (k: number) => {
    if (mode._tag === "Skinned") {
      const m = motions[motion]
      if (m) skinned.pose(m, k)
    } else {
      const stream = anims[mode.anim]
      if (stream === undefined || stream.available() <= k) return false
      exact.show(stream.frame(k))
    }
    shown = k
    return true
  }

  const fillPicker = () => {
    const picker = byId<HTMLSelectElement>("motion")
    picker.replaceChildren(
      ...motions.map((m, i) => new Option(`${m.name} (${m.frames} frames)`, `motion:${i}`)),
      ...index.anims.map((a, i) => new Option(`exact: ${a.name}`, `anim:${i}`))
    )
    picker.value = mode._tag === "Exact" ? `anim:${mode.anim}` : `motion:${motion}`
  }

  const choose = (value: string) => {
    const [kind, number] = value.split(":") as [string, string]
    const k = Number(number)
    stage.scene.remove(skinned.mesh, exact.mesh)
    if (kind === "anim") {
      mode = { _tag: "Exact", anim: k }
      anims[k] ??= streamAnim((index.anims[k] as { url: string }).url)
      stage.scene.add(exact.mesh)
    } else {
      mode = { _tag: "Skinned" }
      motion = k
      stage.scene.add(skinned.mesh)
    }
    time = 0
    shown = -1
    byId("mode").textContent = mode._tag === "Exact" ? "exact (per-frame Gaussians of the full graph)" : "skinned (any motion, real time)"
    fillPicker()
  }

  const addMotion = (m: MotionData) => {
    motions.push(m)
    choose(`motion:${motions.length - 1}`)
    playing = true
  }

  const drop = async (file: File) => {
    const skeleton = { parents: avatar.parents, restJoints: Float64Array.from(rest) }
    const parsed = await Effect.runPromise(Effect.either(parseMotion(file.name, new Uint8Array(await file.arrayBuffer()), { fps: 30, skeleton })))
    if (parsed._tag === "Left") {
      status.textContent = parsed.left.message
      console.warn(parsed.left.message)
      return
    }
    const placed = placeMotion(parsed.right, anchor)
    addMotion({ name: file.name, frames: placed.frames, fps: placed.fps ?? 30, poses: Float32Array.from(placed.poses), transl: Float32Array.from(placed.transl) })
  }

  document.addEventListener("dragover", (e) => e.preventDefault())
  document.addEventListener("drop", (e) => {
    e.preventDefault()
    const file = e.dataTransfer?.files[0]
    if (file) void drop(file)
  })
  byId("play").addEventListener("click", () => (playing = !playing))
  byId("reset").addEventListener("click", () => stage.resetCamera())
  byId<HTMLSelectElement>("speed").addEventListener("change", (e) => (speed = Number((e.target as HTMLSelectElement).value)))
  byId<HTMLSelectElement>("motion").addEventListener("change", (e) => choose((e.target as HTMLSelectElement).value))
  scrubber.addEventListener("input", () => {
    playing = false
    time = Number(scrubber.value)
  })
  const fit = () => {
    const box = canvas.parentElement?.getBoundingClientRect()
    const width = Math.max(1, Math.floor(box?.width ?? avatar.camera.width))
    const height = Math.max(1, Math.floor(box?.height ?? avatar.camera.height))
    stage.resize(width, height)
  }
  new ResizeObserver(fit).observe(canvas.parentElement as HTMLElement)
  fit()

  let last = performance.now()
  const tick = (now: number) => {
    const dt = Math.min(0.25, (now - last) / 1000)
    last = now
    if (playing) time = (time + dt * speed * fps()) % frames()
    const k = frame()
    if (k !== shown) show(k)
    scrubber.max = String(frames() - 1)
    scrubber.value = String(k)
    byId("play").textContent = playing ? "pause" : "play"
    const stream = mode._tag === "Exact" ? anims[mode.anim] : undefined
    status.textContent = `frame ${k + 1}/${frames()}` + (stream && stream.available() < frames() ? ` (streamed ${stream.available()})` : "")
    stage.controls.update()
    stage.renderer.render(stage.scene, stage.camera)
    renders++
    requestAnimationFrame(tick)
  }
  choose(params.get("mode") === "exact" && index.anims.length > 0 ? "anim:0" : "motion:0")
  requestAnimationFrame(tick)

  const nextRenders = (count: number) =>
    new Promise<void>((done) => {
      const target = renders + count
      const wait = () => (renders >= target ? done() : requestAnimationFrame(wait))
      wait()
    })

  Object.assign(window, {
    gavatarViewer: {
      state: () => ({ mode: mode._tag, motion, frame: frame(), frames: frames(), playing, shown, motions: motions.map((m) => m.name), renders, bytes: transferred.bytes, count: avatar.count }),
      setFrame: (k: number) => {
        playing = false
        time = k
      },
      choose,
      play: (on: boolean) => (playing = on),
      nextRenders,
      /** Resolves when the exact mode's anim has arrived whole. */
      animLoaded: async () => {
        if (mode._tag === "Exact") await anims[mode.anim]?.done
      }
    }
  })
  document.body.dataset["ready"] = "1"
}

boot().catch((error: unknown) => {
  console.error(error)
  const status = byId("status")
  if (status) status.textContent = `error: ${error instanceof Error ? error.message : String(error)}`
})
