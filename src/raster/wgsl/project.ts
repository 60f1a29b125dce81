/** WGSL: EWA projection of each Gaussian (projection.ts), one thread per Gaussian, into the splat layout of common.ts. */
import { C, FlatProgram, S, splatStride, wgslConstants } from "./common.ts"

/** WGSL helpers shared with the projection backward: camera-space point, quaternion matrix, camera-space covariance. */
export const wgslGeometry = `
fn cameraRotation() -> mat3x3<f32> {
  return transpose(mat3x3<f32>(
    vec3<f32>(cam(${C.rotation}), cam(${C.rotation + 1}), cam(${C.rotation + 2})),
    vec3<f32>(cam(${C.rotation + 3}), cam(${C.rotation + 4}), cam(${C.rotation + 5})),
    vec3<f32>(cam(${C.rotation + 6}), cam(${C.rotation + 7}), cam(${C.rotation + 8}))));
}
fn cameraPoint(i: i32) -> vec3<f32> {
  let p = vec3<f32>(means[i * 3], means[i * 3 + 1], means[i * 3 + 2]);
  return cameraRotation() * p + vec3<f32>(cam(${C.translation}), cam(${C.translation + 1}), cam(${C.translation + 2}));
}
fn rawQuaternion(i: i32) -> vec4<f32> {
  if (cam(${C.hasRotations}) == 0.0) { return vec4<f32>(1.0, 0.0, 0.0, 0.0); }
  return vec4<f32>(rotations[i * 4], rotations[i * 4 + 1], rotations[i * 4 + 2], rotations[i * 4 + 3]);
}
fn quaternionMatrix(q: vec4<f32>) -> mat3x3<f32> {
  let w = q.x; let x = q.y; let y = q.z; let z = q.w;
  return transpose(mat3x3<f32>(
    vec3<f32>(1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y - w * z), 2.0 * (x * z + w * y)),
    vec3<f32>(2.0 * (x * y + w * z), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z - w * x)),
    vec3<f32>(2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y))));
}
fn scaleOf(i: i32) -> vec3<f32> {
  if (cam(${C.scaleDims}) == 1.0) { return vec3<f32>(scales[i]); }
  return vec3<f32>(scales[i * 3], scales[i * 3 + 1], scales[i * 3 + 2]);
}
// The projection Jacobian at t, with x/z and y/z clamped; mat3x2 = 3 columns of 2 rows.
fn jacobian(t: vec3<f32>) -> mat3x2<f32> {
  let u = clamp(t.x / t.z, -cam(${C.limXNeg}), cam(${C.limXPos}));
  let v = clamp(t.y / t.z, -cam(${C.limYNeg}), cam(${C.limYPos}));
  let fx = cam(${C.fx}); let fy = cam(${C.fy});
  return mat3x2<f32>(vec2<f32>(fx / t.z, 0.0), vec2<f32>(0.0, fy / t.z), vec2<f32>(-fx * u / t.z, -fy * v / t.z));
}
// The screen-space footprint shared by the projection and its backward: M = R(q) diag(s),
// Sigma_cam = Rc M M^T Rc^T, 2D covariance J Sigma_cam J^T with the low-pass dilation (a, b, c) and its determinant.
struct Footprint { m: mat3x3<f32>, rc: mat3x3<f32>, sc: mat3x3<f32>, j: mat3x2<f32>, a: f32, b: f32, c: f32, det: f32 }
fn footprint(rq: mat3x3<f32>, s: vec3<f32>, t: vec3<f32>) -> Footprint {
  let m = rq * mat3x3<f32>(vec3<f32>(s.x, 0.0, 0.0), vec3<f32>(0.0, s.y, 0.0), vec3<f32>(0.0, 0.0, s.z));
  let rc = cameraRotation();
  let sc = rc * (m * transpose(m)) * transpose(rc);
  let j = jacobian(t);
  let cov = j * sc * transpose(j);
  let a = cov[0][0] + DILATION;
  let b = cov[1][0];
  let c = cov[1][1] + DILATION;
  return Footprint(m, rc, sc, j, a, b, c, max(a * c - b * b, DET_FLOOR));
}
`

export class ProjectProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeProject"
  variableNames = ["camera", "means", "scales", "rotations", "opacities", "colours"]
  uniforms = "count: i32,"

  constructor(count: number) {
    super([Math.max(1, count), splatStride], count)
  }

  getUserCode(): string {
    return `
${wgslConstants}
${wgslGeometry}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let o = index * ${splatStride};
  for (var k = 0; k < ${splatStride}; k++) { result[o + k] = 0.0; }
  let t = cameraPoint(index);
  if (!(t.z > cam(${C.near}) && t.z < cam(${C.far}))) { return; }
  let q = rawQuaternion(index);
  let rq = quaternionMatrix(q / length(q));
  let s = scaleOf(index);
  let f = footprint(rq, s, t);
  let a = f.a; let b = f.b; let c = f.c; let det = f.det;
  let mx = cam(${C.fx}) * t.x / t.z + cam(${C.cx});
  let my = cam(${C.fy}) * t.y / t.z + cam(${C.cy});
  let rx = ceil(RADIUS_SIGMAS * sqrt(a));
  let ry = ceil(RADIUS_SIGMAS * sqrt(c));
  if (mx + rx <= 0.0 || mx - rx >= cam(${C.width}) || my + ry <= 0.0 || my - ry >= cam(${C.height})) { return; }
  let tiles = vec2<f32>(cam(${C.tilesX}), cam(${C.tilesY}));
  let lo = clamp(floor(vec2<f32>(mx - rx, my - ry) / f32(TILE)), vec2<f32>(0.0), tiles);
  let hi = clamp(ceil(vec2<f32>(mx + rx, my + ry) / f32(TILE)), vec2<f32>(0.0), tiles);
  result[o + ${S.mx}] = mx;
  result[o + ${S.my}] = my;
  result[o + ${S.conicA}] = c / det;
  result[o + ${S.conicB}] = -b / det;
  result[o + ${S.conicC}] = a / det;
  result[o + ${S.depth}] = t.z;
  result[o + ${S.radiusX}] = rx;
  result[o + ${S.radiusY}] = ry;
  result[o + ${S.tileX0}] = lo.x;
  result[o + ${S.tileY0}] = lo.y;
  result[o + ${S.tileX1}] = hi.x;
  result[o + ${S.tileY1}] = hi.y;
  var opacity = 1.0;
  if (cam(${C.hasOpacities}) != 0.0) { opacity = opacities[index]; }
  result[o + ${S.opacity}] = opacity;
  for (var k = 0; k < 3; k++) { result[o + ${S.colour} + k] = colours[index * 3 + k]; }
}
`
  }
}
