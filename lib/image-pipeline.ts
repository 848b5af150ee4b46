/**
 * The fleet's gateway image pipeline, named once: the stack that builds images
 * (stacks/image-pipeline-stack.ts) and the check that every pinned image came from it
 * (contract/fleet-checks.ts) use the same recipe name and the same image build ARN shape.
 */

/** The Lynis hardening index (Lynis 3.0.8, as the end-to-end test measures it) an image must reach. */
export const LYNIS_MIN_INDEX = 85;

/** Image Builder recipe (and image) name of the fleet's gateway image. */
export function gatewayImageName(namePrefix: string): string {
  return `${namePrefix}-gateway`;
}

/** The parts of an Image Builder image build version ARN: arn:aws:imagebuilder:REGION:ACCOUNT:image/NAME/VERSION/BUILD. */
export interface ImageBuildArn {
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly version: string;
  readonly build: number;
}

const IMAGE_BUILD_ARN = /^arn:aws:imagebuilder:([a-z0-9-]+):(\d{12}):image\/([a-z0-9-_]+)\/(\d+\.\d+\.\d+)\/(\d+)$/;

export function parseImageBuildArn(arn: string): ImageBuildArn | undefined {
  const m = IMAGE_BUILD_ARN.exec(arn);
  return m === null ? undefined : { region: m[1], account: m[2], name: m[3], version: m[4], build: Number(m[5]) };
}
