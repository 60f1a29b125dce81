/**
 * WGSL backward of the projection (projectionBackward.ts), one thread per
 * Gaussian: from the splat gradients [N, 10] to the packed input gradients
 * [N, 14] of kernelNames.ts gradColumns.
 */
import { gradColumns } from "../kernelNames.ts"
import { C, FlatProgram, S, SG, splatGradWidth, splatStride, wgslConstants } from "./common.ts"
import { wgslGeometry } from "./project.ts"

export class ProjectBackwardProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeProjectBackward"
  variableNames = ["camera", "means", "scales", "rotations", "splats", "splatGrads"]
  uniforms = "count: i32,"

  constructor(count: number) {
    super([Math.max(1, count), gradColumns.width], count)
  }

  getUserCode(): string {
    const W = gradColumns.width
    return `
${wgslConstants}
${wgslGeometry}
fn quaternionGrad(q: vec4<f32>, r: mat3x3<f32>) -> vec4<f32> {
  // r[col][row] is d loss / d R(row, col)
  let w = q.x; let x = q.y; let y = q.z; let z = q.w;
  let dw = 2.0 * (-z * r[1][0] + y * r[2][0] + z * r[0][1] - x * r[2][1] - y * r[0][2] + x * r[1][2]);
  let dx = 2.0 * (y * r[1][0] + z * r[2][0] + y * r[0][1] - 2.0 * x * r[1][1] - w * r[2][1] + z * r[0][2] + w * r[1][2] - 2.0 * x * r[2][2]);
  let dy = 2.0 * (-2.0 * y * r[0][0] + x * r[1][0] + w * r[2][0] + x * r[0][1] + z * r[2][1] - w * r[0][2] + z * r[1][2] - 2.0 * y * r[2][2]);
  let dz = 2.0 * (-2.0 * z * r[0][0] - w * r[1][0] + x * r[2][0] + w * r[0][1] - 2.0 * z * r[1][1] + y * r[2][1] + x * r[0][2] + y * r[1][2]);
  return vec4<f32>(dw, dx, dy, dz);
}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let o = index * ${W};
  for (var k = 0; k < ${W}; k++) { result[o + k] = 0.0; }
  if (splats[index * ${splatStride} + ${S.radiusX}] == 0.0) { return; }
  let sg = index * ${splatGradWidth};
  let t = cameraPoint(index);
  let qRaw = rawQuaternion(index);
  let n = length(qRaw);
  let q = qRaw / n;
  let rq = quaternionMatrix(q);
  let s = scaleOf(index);
  let f = footprint(rq, s, t);
  let m = f.m; let rc = f.rc; let sc = f.sc; let j = f.j;
  let a = f.a; let b = f.b; let c = f.c; let det = f.det;
  let conic = mat2x2<f32>(vec2<f32>(c / det, -b / det), vec2<f32>(-b / det, a / det));
  let gB = splatGrads[sg + ${SG.conicB}] * 0.5;
  let g = mat2x2<f32>(vec2<f32>(splatGrads[sg + ${SG.conicA}], gB), vec2<f32>(gB, splatGrads[sg + ${SG.conicC}]));
  let v = -1.0 * (conic * g * conic);
  let dSc = transpose(j) * v * j;
  let dS3 = transpose(rc) * dSc * rc;
  let dM = 2.0 * (dS3 * m);
  let ds = vec3<f32>(dot(dM[0], rq[0]), dot(dM[1], rq[1]), dot(dM[2], rq[2]));
  if (cam(${C.scaleDims}) == 1.0) {
    result[o + ${gradColumns.scales}] = ds.x + ds.y + ds.z;
  } else {
    result[o + ${gradColumns.scales}] = ds.x; result[o + ${gradColumns.scales + 1}] = ds.y; result[o + ${gradColumns.scales + 2}] = ds.z;
  }
  if (cam(${C.hasRotations}) != 0.0) {
    let dq = quaternionGrad(q, mat3x3<f32>(dM[0] * s.x, dM[1] * s.y, dM[2] * s.z));
    let dRaw = (dq - q * dot(q, dq)) / n;
    for (var k = 0; k < 4; k++) { result[o + ${gradColumns.rotations} + k] = dRaw[k]; }
  }
  let dJ = 2.0 * (v * j * sc);
  let dj00 = dJ[0][0]; let dj02 = dJ[2][0]; let dj11 = dJ[1][1]; let dj12 = dJ[2][1];
  let fx = cam(${C.fx}); let fy = cam(${C.fy});
  let gmx = splatGrads[sg + ${SG.mx}]; let gmy = splatGrads[sg + ${SG.my}];
  let z2 = t.z * t.z;
  var dt = vec3<f32>(gmx * fx / t.z, gmy * fy / t.z, -(gmx * fx * t.x + gmy * fy * t.y) / z2 + splatGrads[sg + ${SG.depth}]);
  dt.z += (-dj00 * fx - dj11 * fy) / z2;
  let ux = t.x / t.z; let vy = t.y / t.z;
  if (ux < -cam(${C.limXNeg}) || ux > cam(${C.limXPos})) {
    dt.z += dj02 * fx * clamp(ux, -cam(${C.limXNeg}), cam(${C.limXPos})) / z2;
  } else {
    dt.x += -dj02 * fx / z2; dt.z += 2.0 * dj02 * fx * t.x / (z2 * t.z);
  }
  if (vy < -cam(${C.limYNeg}) || vy > cam(${C.limYPos})) {
    dt.z += dj12 * fy * clamp(vy, -cam(${C.limYNeg}), cam(${C.limYPos})) / z2;
  } else {
    dt.y += -dj12 * fy / z2; dt.z += 2.0 * dj12 * fy * t.y / (z2 * t.z);
  }
  let dMean = transpose(rc) * dt;
  for (var k = 0; k < 3; k++) {
    result[o + ${gradColumns.means} + k] = dMean[k];
    result[o + ${gradColumns.colours} + k] = splatGrads[sg + ${SG.colour} + k];
  }
  result[o + ${gradColumns.opacities}] = splatGrads[sg + ${SG.opacity}];
}
`
  }
}
