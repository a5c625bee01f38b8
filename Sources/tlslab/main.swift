print("tlslab")
