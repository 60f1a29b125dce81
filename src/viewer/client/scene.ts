/**
 * three.js + Spark setup: the renderer on the page's canvas (white background, as gavatar render),
 * a camera whose projection is the training camera's pinhole (OpenCV intrinsics, pixel centres at
 * +0.5 as our rasteriser) and whose pose is its extrinsic (OpenCV: x right, y down, z forward;
 * three.js: y up, looking along -z), orbit/zoom controls about a point on the optical axis, and a
 * SparkRenderer set like our rasteriser: 0.3 px^2 added to every projected covariance, Gaussians
 * cut at 3.33 standard deviations and below alpha 1/255, sorted by depth; covariance splats with
 * float32 accumulation (what the linear-blend skinning of covariance splats needs).
 */
import * as THREE from "three"
import { OrbitControls } from "three/addons/controls/OrbitControls.js"
import { SparkRenderer } from "@sparkjsdev/spark"

export interface PinholeCamera {
  readonly intrinsic: ReadonlyArray<number>
  readonly width: number
  readonly height: number
  readonly extrinsic: ReadonlyArray<number>
}

const NEAR = 0.01
const FAR = 100

/** The projection of an OpenCV pinhole on a W x H viewport (three.js clip space). */
export const pinholeProjection = (camera: PinholeCamera, width: number, height: number): THREE.Matrix4 => {
  const [fx0, , cx0, , fy0, cy0] = camera.intrinsic as [number, number, number, number, number, number]
  // Another viewport size keeps the pinhole's proportions: the training image scaled to fit, centred.
  const s = Math.min(width / camera.width, height / camera.height)
  const [fx, fy] = [fx0 * s, fy0 * s]
  const cx = (cx0 + 0.5) * s + (width - camera.width * s) / 2
  const cy = (cy0 + 0.5) * s + (height - camera.height * s) / 2
  return new THREE.Matrix4().set(
    (2 * fx) / width, 0, 1 - (2 * cx) / width, 0,
    0, (2 * fy) / height, (2 * cy) / height - 1, 0,
    0, 0, -(FAR + NEAR) / (FAR - NEAR), (-2 * FAR * NEAR) / (FAR - NEAR),
    0, 0, -1, 0
  )
}

export interface Stage {
  readonly renderer: THREE.WebGLRenderer
  readonly scene: THREE.Scene
  readonly camera: THREE.PerspectiveCamera
  readonly controls: OrbitControls
  readonly spark: SparkRenderer
  readonly resize: (width: number, height: number) => void
  readonly resetCamera: () => void
}

export const makeStage = (canvas: HTMLCanvasElement, pinhole: PinholeCamera, pivot: readonly [number, number, number]): Stage => {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true })
  renderer.setPixelRatio(1)
  renderer.setClearColor(0xffffff, 1)
  const scene = new THREE.Scene()
  const camera = new THREE.PerspectiveCamera()
  const spark = new SparkRenderer({ renderer, preBlurAmount: 0.3, blurAmount: 0, maxStdDev: 3.33, minAlpha: 1 / 255, sortRadial: false, covSplats: true, accumExtSplats: true })
  scene.add(spark)
  const e = pinhole.extrinsic
  // World -> three.js view: flip y and z of the OpenCV camera frame.
  const view = new THREE.Matrix4().set(e[0] as number, e[1] as number, e[2] as number, e[3] as number, -(e[4] as number), -(e[5] as number), -(e[6] as number), -(e[7] as number), -(e[8] as number), -(e[9] as number), -(e[10] as number), -(e[11] as number), 0, 0, 0, 1)
  const controls = new OrbitControls(camera, canvas)
  const resetCamera = () => {
    const world = view.clone().invert()
    world.decompose(camera.position, camera.quaternion, camera.scale)
    camera.up.set(e[4] as number, e[5] as number, e[6] as number).multiplyScalar(-1)
    // Orbit about the point of the optical axis at the subject's depth, so that looking at it changes nothing.
    const depth = new THREE.Vector3(...pivot).applyMatrix4(view).z
    controls.target.copy(new THREE.Vector3(0, 0, depth).applyMatrix4(world))
    controls.update()
  }
  const resize = (width: number, height: number) => {
    renderer.setSize(width, height, false)
    camera.projectionMatrix.copy(pinholeProjection(pinhole, width, height))
    camera.projectionMatrixInverse.copy(camera.projectionMatrix).invert()
  }
  resetCamera()
  resize(pinhole.width, pinhole.height)
  return { renderer, scene, camera, controls, spark, resize, resetCamera }
}
