// TLSHandshake
