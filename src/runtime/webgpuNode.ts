/**
 * WebGPU for Node: the npm package `webgpu` (Dawn) provides navigator.gpu. It
 * must be installed on globalThis BEFORE @tensorflow/tfjs-backend-webgpu is
 * imported. With no GPU, Dawn finds an adapter only through a software Vulkan
 * driver; when none is configured we try SwiftShader from Debian's chromium.
 */
import { existsSync } from "node:fs"

/** Vulkan ICD files of software drivers we know how to use. */
export const softwareVulkanIcds: ReadonlyArray<string> = ["/usr/lib/chromium/vk_swiftshader_icd.json"]

export interface AdapterProbe {
  readonly ok: boolean
  readonly reason: string
  /** The ICD file we pointed Vulkan at, when we had to. */
  readonly icd?: string
}

const hasNavigatorGpu = (): boolean => typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === "object"

const installNavigatorGpu = async (): Promise<GPU> => {
  const webgpu = (await import("webgpu")) as unknown as { create: (flags: string[]) => GPU; globals: Record<string, unknown> }
  Object.assign(globalThis, webgpu.globals)
  const gpu = webgpu.create([])
  const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as object
  Object.defineProperty(nav, "gpu", { value: gpu, configurable: true })
  if (!("navigator" in globalThis)) Object.defineProperty(globalThis, "navigator", { value: nav, configurable: true })
  return gpu
}

const noAdapter = (): string =>
  `no WebGPU adapter found (VK_ICD_FILENAMES=${process.env["VK_ICD_FILENAMES"] ?? "unset"}); install a Vulkan driver, e.g. Debian's chromium package for SwiftShader`

/**
 * Make navigator.gpu exist and check that it yields an adapter. Once navigator.gpu exists (a
 * browser's, or the one installed here from the npm package `webgpu`), later calls only ask it
 * for an adapter again.
 */
export const ensureWebGpu = async (): Promise<AdapterProbe> => {
  if (hasNavigatorGpu()) {
    const adapter = await (globalThis as unknown as { navigator: { gpu: GPU } }).navigator.gpu.requestAdapter()
    const icd = process.env["VK_ICD_FILENAMES"]
    return adapter ? { ok: true, reason: icd ? `navigator.gpu (Vulkan driver ${icd})` : "navigator.gpu" } : { ok: false, reason: noAdapter() }
  }
  const icd = process.env["VK_ICD_FILENAMES"] ? undefined : softwareVulkanIcds.find((f) => existsSync(f))
  if (icd) process.env["VK_ICD_FILENAMES"] = icd
  try {
    const gpu = await installNavigatorGpu()
    const adapter = await gpu.requestAdapter()
    return adapter
      ? { ok: true, reason: icd ? `software Vulkan driver ${icd}` : "system Vulkan driver", ...(icd ? { icd } : {}) }
      : { ok: false, reason: noAdapter() }
  } catch (error) {
    return { ok: false, reason: `the npm package "webgpu" failed to load: ${String(error)}` }
  }
}
