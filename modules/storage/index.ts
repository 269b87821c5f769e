export { LakeStorage, type LakeStorageProps } from "./lake-storage";
export { ExistingLakeBucket, type ExistingLakeBucketProps, type LakeBucket } from "./lake-bucket";
export * from "./defaults";
