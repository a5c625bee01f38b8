// TLSSimulator
