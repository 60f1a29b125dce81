/** The help texts of `gavatar` and its commands. */

/** What a motion file may be (render, export, view). */
export const MOTION_HELP = `A motion FILE is any of:
  .npz   a pose file: transl [N, 3] with body_pose [N, 72] (global orientation first), or
         global_orient [N, 3] + body_pose [N, 69], or thetas [N, 72] (SMPL axis-angle, metres);
         a GaussianAvatar split's smpl_parms.npz; or AMASS: poses [N, 156] (SMPL-H) or [N, 165]
         (SMPL-X; the first 66 numbers, hands at rest), trans, mocap_framerate (resampled to --fps)
  .pth   a GaussianAvatar split's smpl_parms.pth (body_pose [N, 72], trans [N, 3])
  .bvh   motion capture (CMU or Mixamo joint names), retargeted onto the avatar's SMPL joints and
         scaled by the leg length, resampled to --fps
AMASS and BVH motions start where the training subject stood in its first frame, facing its way;
a pose file whose first frame the training camera does not see is moved there too.`

export const MAIN_USAGE = `usage: gavatar <command> [options]

commands:
  prepare  turn one video (or a folder of images) into a training dataset: frames, masks, camera, body fit
  train    train an avatar from a dataset folder (resumes from the run folder)
  eval     render every frame of a split and score it (PSNR, SSIM, LPIPS with your weights)
  render   animate a trained avatar with a pose sequence, from any camera
  export   write the avatar as a splat file (.ply, .splat, .spz) for other viewers and tools, an
           anim file for the viewer's exact mode, or the viewer as a static folder
  view     watch the avatar move in the browser (a local web server)

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

export const RENDER_USAGE = `usage: gavatar render --run RUN --poses FILE --out DIR [--camera CAMERA] [--intrinsics fx,fy,cx,cy,W,H | --size WxH] [--fps N]

Animates RUN's avatar (its latest stage) with a motion and writes DIR/frames/00000.png ...
and DIR/animation.mp4, encoded by the ffmpeg installed with gavatar (@ffmpeg-installer/ffmpeg),
else an ffmpeg on the PATH, or the one the environment variable GAVATAR_FFMPEG names.

${MOTION_HELP}

CAMERA places the camera:
  train              the training camera (default)
  orbit:DEG          the training camera moved DEG degrees around the subject (about the camera's
                     vertical axis through the first frame's translation): orbit:90 sees the side
  turntable          orbit from 0 to 360 degrees over the sequence
  follow             the training camera moving with the subject's root, which keeps its place
  FILE.npz           intrinsic [3, 3] and extrinsic [4, 4] (world to camera) from a cam_parms.npz or
                     cameras.npz (with height and width when the file has them)
--intrinsics fx,fy,cx,cy,W,H  replaces the intrinsics (OpenCV pixels) and the image size W x H
--size WxH                    keeps the field of view and renders W x H pixels

options:
  --run RUN          a run folder written by \`gavatar train\` (required)
  --poses FILE       the motion (required; see above)
  --out DIR          the output folder (required)
  --camera CAMERA    see above (default train)
  --intrinsics LIST  see above
  --size WxH         see above
  --fps N            frames per second of the MP4, and of AMASS/BVH motions resampled (default 15)
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`

export const EXPORT_USAGE = `usage: gavatar export --run RUN --out FILE [--format ply|splat|spz|anim] [--poses FILE] [--frame N] [--canonical] [--sh-rest] [--fps N]
       gavatar export --run RUN --format web --out DIR [--poses FILE ...] [--anim FILE ...] [--fps N]

Writes RUN's avatar (its latest stage) as a splat file, posed at a frame of a motion (default: the
first training frame, with the pose training refined) or in canonical space:
  .ply     the standard 3D Gaussian splatting layout (x y z, nx ny nz, f_dc_0..2, opacity as a logit,
           scale_0..2 as logs, rot_0..3 with w first), read by most splat viewers and tools
  .splat   32 bytes per Gaussian (position, scale, RGBA, rotation), largest first, for web viewers
  .spz     Niantic's compressed format, written by Spark (@sparkjsdev/spark)
  .anim    the web viewer's exact mode: the Gaussians the full graph predicts for every frame of
           the motion (stage 2's pose-dependent appearance included), float16, streamed by the page
  web      the web viewer (gavatar view) as a static folder DIR for any static web server, with the
           training poses, every --poses motion and every --anim file

options:
  --run RUN          a run folder written by \`gavatar train\` (required)
  --out FILE|DIR     the file to write (required); its extension picks the format
  --format F         ply, splat, spz, anim or web (default: from --out)
  --poses FILE       the motion to pose the avatar with (see gavatar render --help; default: the
                     run's training poses); with --format web, once per motion
  --anim FILE        --format web: an anim file for the exact mode (repeatable)
  --frame N          the frame of the motion (default 0)
  --canonical        the Gaussians in canonical space (before skinning; appearance of the frame)
  --sh-rest          .ply: also write f_rest_0..44 as zeros, for tools that require degree 3
  --fps N            AMASS and BVH motions are resampled to N frames per second (default 30)
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`

export const VIEW_USAGE = `usage: gavatar view --run RUN [--poses FILE ...] [--anim FILE ...] [--port P] [--host H] [--fps N]

Serves a web page that shows RUN's avatar moving in real time, and prints its URL. Every script
comes from gavatar's own packages (three.js and Spark, bundled by esbuild); nothing is fetched
from the internet. The page has orbit/zoom (drag, wheel), play/pause, a timeline scrubber, speed,
a motion picker (the training poses, every --poses motion, every file dropped onto the page) and
two modes:
  skinned   the Gaussians in canonical space, each moved by its 4 strongest skinning weights on
            the GPU: any motion, in real time; stage 2's pose-dependent appearance is approximated
            by that of the first training frame (the page says so)
  exact     the Gaussians the full graph predicted for each frame of a motion, from an anim file
            (gavatar export --format anim), streamed

options:
  --run RUN          a run folder written by \`gavatar train\` (required)
  --poses FILE       a motion to offer (see gavatar render --help; repeatable)
  --anim FILE        an anim file for the exact mode (repeatable)
  --port P           the port (default 8080; 0 picks a free one)
  --host H           the address to listen on (default 127.0.0.1)
  --fps N            AMASS and BVH motions are resampled to N frames per second (default 30)
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
  --crop             a square crop around the person (one crop for the whole clip; the camera
                     follows it: focal length scaled, principal point moved)
  --fov DEG          field of view over the video's longer side (default 60, as InstantAvatar assumes)
  --focal PX         focal length in pixels of the frames as written without --crop (replaces --fov)
  --holdout K        every K-th frame goes to test/ (default 10; 0: none)
  --steps N          steps of the fit's second stage (default 160)
  --backend B        wasm (default), cpu or webgpu
  -h, --help         this text`
