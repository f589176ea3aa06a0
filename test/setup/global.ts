/** Global test setup: nothing to start yet beyond what each suite starts itself. */
export default function setup(): void {}
