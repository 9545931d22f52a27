/** Manifest media types a client must accept, or a registry rewrites or hides what it stores. */
const MEDIA_TYPE = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/**
 * All four, as containerd sends them. With fewer, a 2.8 registry converts a stored schema2
 * manifest to schema1 (another digest) and both 2.8 and 3.x answer 404 for OCI content.
 */
export const MANIFEST_ACCEPT = Object.values(MEDIA_TYPE).join(', ');

export const isManifestIndex = (mediaType: string): boolean => mediaType === MEDIA_TYPE.dockerManifestList || mediaType === MEDIA_TYPE.ociIndex;
