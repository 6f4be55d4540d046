"""The platform-neutral conversation core every chat adapter drives."""
