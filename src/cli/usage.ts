/** The help texts of `gavatar` and its commands. */

export const MAIN_USAGE = `usage: gavatar <command> [options]

commands:
  prepare  turn one video (or a folder of images) into a training dataset: frames, masks, camera, body fit
  train    train an avatar from a dataset folder (resumes from the run folder)
  eval     render every frame of a split and score it (PSNR, SSIM, LPIPS with your weights)
  render   animate a trained avatar with a pose sequence, from any camera

Run \`gavatar <command> --help\` for a command's options.`

export const TRAIN_USAGE = `usage: gavatar train --data DIR --out RUN [--preset quick|paper|FILE.json] [--stage 1|2|both] [--body open|SMPL.npz|SMPL.pkl --uv UV.obj]
                     [--frames START:END:STEP] [--lpips FILE [--lpips FILE]] [--backend wasm|cpu|webgpu]

Trains the avatar on a dataset folder in any layout gavatar reads (found by looking at DIR):
  DIR/cam_parms.npz + images/ + masks/ + smpl_parms.{pth,npz}   a GaussianAvatar split
  DIR/train/...                                                 a GaussianAvatar subject (its train split)
  DIR/cameras.npz + images/ + masks/ + poses...                 an InstantAvatar / People-Snapshot subject
RUN receives run.json (preset, body, betas, training camera) and stage1/, stage2/ checkpoints;
training resumes from them when RUN already holds a run.

options:
  --data DIR         the dataset folder (required)
  --out RUN          the run folder (required)
  --preset NAME      quick (default: CPU sizes, 8 + 3 epochs) or paper (the original: 512 query map,
                     200 epochs per stage, batch 2, poses refined from epoch 10), or a JSON file
                     with the fields of src/graphs/avatar/presets.ts (name required, others default
                     to quick's), e.g. {"name": "mine", "epochs": {"stage1": 20, "stage2": 10}}
  --stage S          1, 2 or both (default both); stage 2 starts from RUN's stage 1
  --body B           open (default: the generated open body) or your SMPL model file (.npz or
                     .pkl; its first 10 shape directions), with --uv: the SMPL UV layout (.obj)
  --frames S:E:K     InstantAvatar subjects: train on frames S to E (inclusive) every K, e.g.
                     0:445:4 for People-Snapshot female-3-casual (default: all frames)
  --lpips FILE       LPIPS in training (0.2 from epoch 30) from your weights: one .pth with the
                     AlexNet and linear-head tensors, or --lpips ALEXNET.pth --lpips LINEAR.pth
                     (default: LPIPS off, said once)
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`

export const EVAL_USAGE = `usage: gavatar eval --run RUN --split DIR --out EVAL [--lpips FILE [--lpips FILE]] [--backend wasm|cpu|webgpu]

Renders every frame of a GaussianAvatar split folder (images/, masks/, cam_parms.npz, smpl_parms.*)
with that split's camera and body fit (no test-time pose optimisation), with RUN's latest stage, and
writes EVAL/renders/*.png, EVAL/frames/*.png (ground truth | render | error) and EVAL/metrics.json
(PSNR and SSIM per frame and their means, and LPIPS with --lpips).

options:
  --run RUN          a run folder written by \`gavatar train\` (required)
  --split DIR        the split folder to score (required)
  --out EVAL         the output folder (required)
  --lpips FILE       score LPIPS (AlexNet) with your weights, as for train; without, LPIPS is off
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`

export const RENDER_USAGE = `usage: gavatar render --run RUN --poses FILE.npz --out DIR [--camera CAMERA] [--intrinsics fx,fy,cx,cy,W,H | --size WxH] [--fps N]

Animates RUN's avatar (its latest stage) with a pose sequence and writes DIR/frames/00000.png ...
and DIR/animation.mp4 when ffmpeg is on the PATH (without it the PNG frames are kept).

The pose file is an .npz with transl [N, 3] and body_pose [N, 72] (global orientation first),
or global_orient [N, 3] + body_pose [N, 69], or thetas [N, 72] (SMPL axis-angle, meters).

CAMERA places the camera:
  train              the training camera (default)
  orbit:DEG          the training camera moved DEG degrees around the subject (about the camera's
                     vertical axis through the first frame's translation): orbit:90 sees the side
  turntable          orbit from 0 to 360 degrees over the sequence
  FILE.npz           intrinsic [3, 3] and extrinsic [4, 4] (world to camera) from a cam_parms.npz or
                     cameras.npz (with height and width when the file has them)
--intrinsics fx,fy,cx,cy,W,H  replaces the intrinsics (OpenCV pixels) and the image size W x H
--size WxH                    keeps the field of view and renders W x H pixels

options:
  --run RUN          a run folder written by \`gavatar train\` (required)
  --poses FILE.npz   the pose sequence (required)
  --out DIR          the output folder (required)
  --camera CAMERA    see above (default train)
  --intrinsics LIST  see above
  --size WxH         see above
  --fps N            frames per second of the MP4 (default 15)
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`

export const PREPARE_USAGE = `usage: gavatar prepare VIDEO|FOLDER --out DIR [--fps N | --every N] [--start S] [--end S] [--max-frames N]
                       [--size S] [--crop] [--fov DEG | --focal PX] [--holdout K] [--steps N] [--backend wasm|cpu|webgpu]

Turns one video (anything ffmpeg reads: mp4, mov, webm, ...; phone rotation is applied) or a folder of
PNG / JPEG images into the GaussianAvatar layout that \`gavatar train\` reads, offline: person masks
(MediaPipe selfie segmentation) and 33 body landmarks (BlazePose) from models shipped in
node_modules, a pinhole camera at the origin, and a fit of the open body to every frame (graphs.fit).
DIR receives train/ and test/ (images/, masks/, cam_parms.npz, smpl_parms.npz), overlays/,
contact_sheet.png and prepare.json (per frame: keypoint error, silhouette IoU, detection score;
dropped frames and why). It is written as DIR.partial and renamed when finished; an existing DIR
is never overwritten.

options:
  --out DIR          the dataset folder to create (required; must be new or empty)
  --fps N            keep N frames per second of the video (default: every frame)
  --every N          keep every N-th frame (default 1)
  --start S, --end S seconds into the video where frames start and end (default: all of it)
  --max-frames N     at most N frames (default: all)
  --size S           longer side of the frames in pixels, or the square's side with --crop (default 512)
  --crop             a square crop around the person (one crop for the whole clip)
  --fov DEG          field of view over the longer side (default 60, as InstantAvatar assumes)
  --focal PX         focal length in pixels of the written frames (replaces --fov)
  --holdout K        every K-th frame goes to test/ (default 10; 0: none)
  --steps N          steps of the fit's second stage (default 160)
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`
