/**
 * A reader's allowance of work, fixed from the size of what it reads: every unit of work a file
 * asks for (an opcode run, an item copied, an element allocated) is spent from it, and a file that
 * asks for more than its size can justify fails with IoError instead of hanging or eating memory.
 */
import { fail } from "./errors.ts"

/**
 * Units granted per byte of input, and a constant floor for tiny files. A unit is about one value
 * (8 to 16 bytes of memory), so a file may ask for roughly 100 times its size and no more; real
 * files ask for about one unit per element they hold.
 */
export const UNITS_PER_BYTE = 8
export const FLOOR_UNITS = 1 << 20

export class WorkBudget {
  private left: number
  constructor(
    private readonly file: string,
    readonly granted: number
  ) {
    this.left = granted
  }

  /** A budget of UNITS_PER_BYTE per input byte plus FLOOR_UNITS. */
  static forBytes(file: string, bytes: number): WorkBudget {
    return new WorkBudget(file, UNITS_PER_BYTE * bytes + FLOOR_UNITS)
  }

  /** Spends `units` on `doing`; throws IoError when the budget is exhausted. */
  spend(units: number, doing: string): void {
    if (!(units <= this.left)) fail(this.file, `${doing} asks for more work than a file of its size can justify (allowance ${this.granted} units): damaged or hostile`)
    this.left -= units
  }
}
