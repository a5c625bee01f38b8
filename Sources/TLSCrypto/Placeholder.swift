// TLSCrypto
